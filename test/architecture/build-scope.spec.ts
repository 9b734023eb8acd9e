import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './dependency-cruise';

const TSC = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

/** The files `tsconfig.build.json` compiles in `root`, as `nest build` sees them (relative, `./`-prefixed). */
function buildFiles(root: string): string[] {
  const output = execFileSync(process.execPath, [TSC, '-p', path.join(root, 'tsconfig.build.json'), '--showConfig'], {
    cwd: root,
    encoding: 'utf8',
  });
  return (JSON.parse(output) as { files: string[] }).files;
}

/**
 * `nest build` compiles what tsconfig.build.json includes. Before it named only what to
 * exclude, so a scratch `.ts` file at the root (or under tools/) was compiled too, and a
 * broken one failed the build and the Docker image. The check runs on a copy of the
 * build's configuration beside the real apps/ and libs/, with broken loose files added,
 * so the working tree is never touched.
 */
describe('the build compiles apps/ and libs/ only', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'build-scope-'));
    for (const file of ['tsconfig.json', 'tsconfig.build.json']) {
      copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
    }
    for (const dir of ['apps', 'libs', 'node_modules']) {
      symlinkSync(path.join(REPO_ROOT, dir), path.join(root, dir));
    }
    const broken = 'export const broken: number = "not a number"\n';
    writeFileSync(path.join(root, 'scratch.ts'), broken);
    mkdirSync(path.join(root, 'tools'));
    writeFileSync(path.join(root, 'tools', 'loose.ts'), broken);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('leaves out loose .ts files elsewhere in the tree', () => {
    const files = buildFiles(root);
    expect(files).not.toContain('./scratch.ts');
    expect(files).not.toContain('./tools/loose.ts');
    expect(files.filter((file) => !/^\.\/(?:apps|libs)\//.test(file))).toEqual([]);
  });

  it('still compiles both apps and no spec', () => {
    const files = buildFiles(root);
    expect(files).toEqual(
      expect.arrayContaining(['./apps/api/src/main.ts', './apps/worker/src/main.ts', './libs/platform/src/index.ts']),
    );
    expect(files.filter((file) => file.endsWith('spec.ts'))).toEqual([]);
  });
});
