import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './dependency-cruise';

/** README.md and every page under docs/, relative to the repository. */
function documentationPages(): string[] {
  const pages = readdirSync(path.join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join('docs', file));
  return ['README.md', ...pages];
}

/** Inline links `[text](target)` and reference definitions `[label]: target`, without URLs and in-page anchors. */
function relativeLinkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
  const references = [...markdown.matchAll(/^ {0,3}\[[^\]\n]+\]: *<?([^\s>]+)/gm)].map((match) => match[1]);
  return [...inline, ...references].filter((target) => !/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target));
}

/** The file a link points at, from the page's folder, without its `#anchor` or `?query`. */
function resolveFrom(page: string, target: string): string {
  return path.resolve(REPO_ROOT, path.dirname(page), decodeURIComponent(target.split(/[#?]/)[0]));
}

/**
 * The documentation is read on GitHub and in editors, from the repository alone: a link
 * to a file that is not in it (a page kept elsewhere, a file since renamed) is a dead end.
 */
describe('documentation links', () => {
  it.each(documentationPages())('every relative link of %s resolves to a file in the repository', (page) => {
    const markdown = readFileSync(path.join(REPO_ROOT, page), 'utf8');
    const broken = relativeLinkTargets(markdown).filter((target) => {
      const file = resolveFrom(page, target);
      return !existsSync(file) || path.relative(REPO_ROOT, file).startsWith('..');
    });
    expect(broken).toEqual([]);
  });

  it.each(documentationPages())('every page %s names in plain text (`X.md`) is in the repository', (page) => {
    const markdown = readFileSync(path.join(REPO_ROOT, page), 'utf8');
    const named = [...markdown.matchAll(/(?<![\w./-])([\w./-]+\.md)\b/g)].map((match) => match[1]);
    const missing = named.filter(
      (name) => !existsSync(path.join(REPO_ROOT, name)) && !existsSync(resolveFrom(page, name)),
    );
    expect(missing).toEqual([]);
  });

  it('finds the links it checks (the parser is not silently matching nothing)', () => {
    expect(relativeLinkTargets('[a](docs/a.md#x) [b](https://x.test) [c](#here)\n[d]: ../e.md\n')).toEqual([
      'docs/a.md#x',
      '../e.md',
    ]);
  });
});
