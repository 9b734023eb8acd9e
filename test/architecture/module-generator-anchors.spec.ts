import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './dependency-cruise';

/** The existing files `npm run generate:module` edits (tools/generate-module/wiring.mjs). */
const EDITED = [
  'libs/platform/src/database/migrations/index.ts',
  'nest-cli.json',
  'tsconfig.json',
  'apps/api/src/api.module.ts',
  'test/security/access-rules.json',
  'docs/errors.md',
  'apps/api/src/openapi-text.ts',
];

function runGenerator(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'tools/generate-module/generate.mjs'), 'gadgets', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

/**
 * The generator edits existing files at anchors; a file that changed shape must stop it
 * with the file and the anchor named, before anything is written (a `replace` that matched
 * nothing used to leave a module generated but not wired in). Each case breaks one
 * anchor in a copy of the generator and the files it edits.
 */
describe('module generator anchors (tools/generate-module)', () => {
  let sandbox: string;

  beforeEach(() => {
    sandbox = mkdtempSync(path.join(tmpdir(), 'generator-anchors-'));
    cpSync(path.join(REPO_ROOT, 'tools/generate-module'), path.join(sandbox, 'tools/generate-module'), {
      recursive: true,
    });
    for (const file of EDITED) {
      mkdirSync(path.dirname(path.join(sandbox, file)), { recursive: true });
      cpSync(path.join(REPO_ROOT, file), path.join(sandbox, file));
    }
  });

  afterEach(() => rmSync(sandbox, { recursive: true, force: true }));

  it('finds every anchor in the repository as it is (--dry-run writes nothing)', () => {
    const result = runGenerator(REPO_ROOT, '--dry-run');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('every anchor found');
    expect(existsSync(path.join(REPO_ROOT, 'libs/gadgets'))).toBe(false);
  });

  it.each<{ file: string; breakage: string; find: string | RegExp; replace: string; named: string }>([
    {
      file: EDITED[0],
      breakage: 'no import lines',
      find: /^import .*\n/gm,
      replace: '',
      named: 'the last `import ... from` line',
    },
    {
      file: EDITED[0],
      breakage: 'the list no longer ends in `];`',
      find: /\n\];\s*$/,
      replace: '\n].filter(Boolean);\n',
      named: 'the closing `];` of `export const migrations = [`',
    },
    {
      file: EDITED[1],
      breakage: '"projects" renamed',
      find: '"projects"',
      replace: '"apps"',
      named: 'the object at "projects"',
    },
    {
      file: EDITED[2],
      breakage: '"paths" renamed',
      find: '"paths"',
      replace: '"aliases"',
      named: 'the object at "compilerOptions.paths"',
    },
    {
      file: EDITED[3],
      breakage: 'another @nestjs/common import',
      find: "import { Module } from '@nestjs/common';",
      replace: "import { Global, Module } from '@nestjs/common';",
      named: "`import { Module } from '@nestjs/common';`",
    },
    {
      file: EDITED[3],
      breakage: 'ReportsModule configured',
      find: 'ReportsModule,',
      replace: 'ReportsModule.forRoot(),',
      named: '`ReportsModule,`',
    },
    {
      file: EDITED[3],
      breakage: 'ReportsModule imported twice',
      find: '    ReportsModule,\n',
      replace: '    ReportsModule,\n    ReportsModule,\n',
      named: '2 places match',
    },
    { file: EDITED[4], breakage: 'not JSON', find: /\}\s*$/, replace: '', named: 'a JSON document' },
    {
      file: EDITED[5],
      breakage: 'the 404 row reworded',
      find: '| `PRODUCT_NOT_FOUND`',
      replace: '| `CATALOG_PRODUCT_NOT_FOUND`',
      named: 'the 404 row of the codes table',
    },
    {
      file: EDITED[6],
      breakage: 'the tag descriptions renamed',
      find: '  tags: {',
      replace: '  tagDescriptions: {',
      named: 'the line `  tags: {` of `OPENAPI_TEXT`',
    },
  ])('$file, $breakage: stops before writing, naming the file and the anchor', ({ file, find, replace, named }) => {
    const full = path.join(sandbox, file);
    const broken = readFileSync(full, 'utf8').replace(find, replace);
    writeFileSync(full, broken);

    const result = runGenerator(sandbox, '--no-docs');

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`generate:module: nothing was changed: ${file}: anchor not found (`);
    expect(result.stderr).toContain(named);
    expect(readFileSync(full, 'utf8')).toBe(broken);
    expect(existsSync(path.join(sandbox, 'libs/gadgets'))).toBe(false);
    expect(
      EDITED.filter(
        (other) =>
          other !== file &&
          readFileSync(path.join(sandbox, other), 'utf8') !== readFileSync(path.join(REPO_ROOT, other), 'utf8'),
      ),
    ).toEqual([]);
  });
});
