// The edits that wire a generated module into existing files, each at an anchor that
// must be found exactly once (anchors.mjs): the migrations list, nest-cli.json, the
// path aliases, ApiModule, the access-control rules, the error catalogue and the
// OpenAPI tag descriptions.
import { insertAt, objectAt, parseJson } from './anchors.mjs';

const MIGRATIONS = 'libs/platform/src/database/migrations/index.ts';
const API_MODULE = 'apps/api/src/api.module.ts';
const ERRORS_DOC = 'docs/errors.md';
const OPENAPI_TEXT = 'apps/api/src/openapi-text.ts';

/** `[file, (text) => text]` for every existing file the module `n` is wired into. */
export function wiringEdits(n, migration) {
  return [
    [MIGRATIONS, (text) => registerMigration(text, migration)],
    ['nest-cli.json', (text) => addNestProject(text, n)],
    ['tsconfig.json', (text) => addPathAliases(text, n)],
    [API_MODULE, (text) => importIntoApiModule(text, n)],
    ['test/security/access-rules.json', (text) => addAccessRules(text, n)],
    [ERRORS_DOC, (text) => listNotFoundCode(text, n)],
    [OPENAPI_TEXT, (text) => describeTag(text, n)],
  ];
}

function registerMigration(text, migration) {
  const withImport = insertAt(text, {
    file: MIGRATIONS,
    anchor: 'the last `import ... from` line',
    pattern: /\nimport [^\n]+;\n(?![\s\S]*\nimport )/,
    text: `import { ${migration.className} } from './${migration.module}';\n`,
  });
  return insertAt(withImport, {
    file: MIGRATIONS,
    anchor: 'the closing `];` of `export const migrations = [`',
    pattern: /\n\];\s*$/,
    where: 'before',
    text: `\n  ${migration.className},`,
  });
}

function addNestProject(text, n) {
  const config = parseJson(text, 'nest-cli.json');
  objectAt(config, ['projects'], 'nest-cli.json')[n.kebab] = {
    type: 'library',
    root: `libs/${n.kebab}`,
    entryFile: 'index',
    sourceRoot: `libs/${n.kebab}/src`,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function addPathAliases(text, n) {
  const config = parseJson(text, 'tsconfig.json');
  const paths = objectAt(config, ['compilerOptions', 'paths'], 'tsconfig.json');
  paths[`@app/${n.kebab}`] = [`libs/${n.kebab}/src`];
  paths[`@app/${n.kebab}/*`] = [`libs/${n.kebab}/src/*`];
  // tsconfig.json is written as JSON.stringify writes it; keep its trailing newline (or none).
  return JSON.stringify(config, null, 2) + (text.endsWith('\n') ? '\n' : '');
}

function importIntoApiModule(text, n) {
  const withImport = insertAt(text, {
    file: API_MODULE,
    anchor: "the line `import { Module } from '@nestjs/common';`",
    pattern: /^import \{ Module \} from '@nestjs\/common';$/m,
    where: 'before',
    text: `import { ${n.Plural}Module } from '@app/${n.kebab}';\n`,
  });
  return insertAt(withImport, {
    file: API_MODULE,
    anchor: '`ReportsModule,` in the `imports` of `@Module`',
    pattern: /^\s*ReportsModule,$/m,
    text: `\n    ${n.Plural}Module,`,
  });
}

/** Reads for any signed-in caller, writes for admins: what the controller's decorators say. */
function addAccessRules(text, n) {
  const rules = parseJson(text, 'test/security/access-rules.json');
  Object.assign(rules, {
    [`GET /v1/${n.kebab}`]: { access: 'customer' },
    [`GET /v1/${n.kebab}/{id}`]: { access: 'customer' },
    [`POST /v1/${n.kebab}`]: { access: 'admin' },
    [`PATCH /v1/${n.kebab}/{id}`]: { access: 'admin' },
    [`DELETE /v1/${n.kebab}/{id}`]: { access: 'admin' },
  });
  return `${JSON.stringify(rules, null, 2)}\n`;
}

/** docs/errors.md lists every code: the new NOT_FOUND joins the other features' 404 row. */
function listNotFoundCode(text, n) {
  return insertAt(text, {
    file: ERRORS_DOC,
    anchor: 'the 404 row of the codes table, starting "| `PRODUCT_NOT_FOUND`" and ending "| 404 |"',
    pattern: /^\| `PRODUCT_NOT_FOUND`[^\n]*?(?= \| 404 \|)/m,
    text: `, \`${n.CODE}_NOT_FOUND\``,
  });
}

/** Every tag of the OpenAPI document has a description (test/contract/openapi-descriptions.e2e-spec.ts). */
function describeTag(text, n) {
  const words = `${n.words.charAt(0).toUpperCase()}${n.words.slice(1)}`;
  return insertAt(text, {
    file: OPENAPI_TEXT,
    anchor: 'the line `  tags: {` of `OPENAPI_TEXT`',
    pattern: /^ {2}tags: \{$/m,
    text: `\n    '${n.kebab}': '${words}: reads for any signed-in caller, writes for admins.',`,
  });
}
