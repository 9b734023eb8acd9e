#!/usr/bin/env node
// `npm run generate:module -- <name>`: a complete feature lib (module, controller,
// service, repository, entity, DTOs, errors, migration, unit and e2e specs), wired
// into nest-cli.json, the @app/<name> path aliases, ApiModule, the migrations list,
// the access-control rules and docs/api.md. <name> is the plural, kebab-case resource
// name, e.g. `gadgets` or `gift-cards`. On any error nothing is left half-written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { files, migration } from './templates.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const raw = args.find((arg) => !arg.startsWith('--'));
const skipDocs = args.includes('--no-docs');

function fail(message) {
  console.error(`generate:module: ${message}`);
  process.exit(1);
}

if (!raw || !/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(raw)) {
  fail('give the plural resource name in kebab-case, e.g. `npm run generate:module -- gift-cards`');
}
if (!raw.endsWith('s')) {
  fail(`"${raw}" should be plural (the route is /v1/${raw}s?): e.g. gadgets, gift-cards, categories`);
}
const singularKebab = raw.endsWith('ies') ? `${raw.slice(0, -3)}y` : raw.endsWith('ses') ? raw.slice(0, -2) : raw.slice(0, -1);
const pascal = (kebab) => kebab.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
const names = {
  kebab: raw,
  singularKebab,
  Plural: pascal(raw),
  Singular: pascal(singularKebab),
  camel: pascal(raw)[0].toLowerCase() + pascal(raw).slice(1),
  camelSingular: pascal(singularKebab)[0].toLowerCase() + pascal(singularKebab).slice(1),
  table: raw.replace(/-/g, '_'),
  CODE: singularKebab.replace(/-/g, '_').toUpperCase(),
  words: raw.replace(/-/g, ' '),
  singularWords: singularKebab.replace(/-/g, ' '),
};

if (existsSync(path.join(root, 'libs', raw))) {
  fail(`libs/${raw} already exists`);
}
const reserved = ['platform', 'jobs', 'auth', 'health', 'metrics', 'docs'];
if (reserved.includes(raw)) {
  fail(`"${raw}" is reserved`);
}

// Everything is computed first, then written; a failure while writing restores the
// files that were changed and removes the ones that were created.
const writes = new Map();
for (const [file, text] of Object.entries(files(names))) {
  writes.set(file, text);
}
const timestamp = Date.now();
const created = migration(names, timestamp);
writes.set(created.path, created.text);

const read = (file) => readFileSync(path.join(root, file), 'utf8');
const edit = (file, change) => writes.set(file, change(writes.get(file) ?? read(file)));

edit('libs/platform/src/database/migrations/index.ts', (text) =>
  text
    .replace(/(\nimport [^\n]+;\n)(?![\s\S]*\nimport )/, `$1import { ${created.className} } from './${path.basename(created.path, '.ts')}';\n`)
    .replace(/\n\];\s*$/, `\n  ${created.className},\n];\n`),
);
edit('nest-cli.json', (text) => {
  const config = JSON.parse(text);
  config.projects[raw] = { type: 'library', root: `libs/${raw}`, entryFile: 'index', sourceRoot: `libs/${raw}/src` };
  return `${JSON.stringify(config, null, 2)}\n`;
});
edit('tsconfig.json', (text) =>
  text.replace(/("paths"\s*:\s*\{)/, `$1\n      "@app/${raw}": ["libs/${raw}/src"],\n      "@app/${raw}/*": ["libs/${raw}/src/*"],`),
);
edit('apps/api/src/api.module.ts', (text) =>
  text
    .replace(/(import \{ Module \} from '@nestjs\/common';)/, `import { ${names.Plural}Module } from '@app/${raw}';\n$1`)
    .replace(/(\n\s*ReportsModule,)/, `$1\n    ${names.Plural}Module,`),
);
edit('test/security/access-rules.json', (text) => {
  const rules = JSON.parse(text);
  Object.assign(rules, {
    [`GET /v1/${raw}`]: { access: 'customer' },
    [`GET /v1/${raw}/{id}`]: { access: 'customer' },
    [`POST /v1/${raw}`]: { access: 'admin' },
    [`PATCH /v1/${raw}/{id}`]: { access: 'admin' },
    [`DELETE /v1/${raw}/{id}`]: { access: 'admin' },
  });
  return `${JSON.stringify(rules, null, 2)}\n`;
});

const originals = new Map();
try {
  for (const [file, text] of writes) {
    const full = path.join(root, file);
    originals.set(file, existsSync(full) ? readFileSync(full, 'utf8') : null);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  // Prettier keeps the generated code in the project's style.
  execFileSync(process.execPath, [path.join(root, 'node_modules/prettier/bin/prettier.cjs'), '--log-level', 'warn', '--write', `libs/${raw}`, `test/e2e/${raw}`, created.path, 'apps/api/src/api.module.ts', 'libs/platform/src/database/migrations/index.ts'], { cwd: root, stdio: 'inherit' });
} catch (error) {
  for (const [file, original] of originals) {
    const full = path.join(root, file);
    if (original === null) {
      rmSync(full, { force: true });
    } else {
      writeFileSync(full, original);
    }
  }
  rmSync(path.join(root, 'libs', raw), { recursive: true, force: true });
  rmSync(path.join(root, 'test/e2e', raw), { recursive: true, force: true });
  fail(`nothing was changed: ${error instanceof Error ? error.message : error}`);
}

console.log(`generate:module: created libs/${raw} (${names.Plural}Module, /v1/${raw}) with its migration and specs`);
if (!skipDocs) {
  console.log('generate:module: rewriting docs/api.md from the new OpenAPI document');
  execFileSync('npm', ['run', '--silent', 'docs:api'], { cwd: root, stdio: 'inherit' });
}
console.log(`Next: npm run build && npm run lint && npm test -- ${raw}`);
