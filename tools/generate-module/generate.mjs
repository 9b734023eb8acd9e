#!/usr/bin/env node
// `npm run generate:module -- <name>`: a complete feature lib, wired in and tested.
//
// It mirrors libs/catalog (products): a resource that signed-in callers read and admins
// write, with keyset pages, a `defineErrors` table and a repository that runs
// parameterized SQL through `Database`. Catalog is the model because it is the plainest
// feature that has every layer (controller -> service -> repository -> table) and no
// rules borrowed from another feature. Its writes follow libs/orders instead, the feature
// that shows the transaction convention: `@Transactional()` service methods that enqueue
// an outbox event with the change. HTTP caching (catalog's ETag/304) is left out: a
// generated module starts uncached, and docs/adding-a-module.md says how to add it.
//
// Writes libs/<name> (module, controller, service, repository, entity, read model,
// errors, events, DTOs, unit spec), its e2e spec, its migration and docs/sql/<name>.sql;
// wires it into nest-cli.json, the @app/<name> path aliases, ApiModule, the migrations
// list, the access-control rules and docs/errors.md, each at an anchor that must be
// found (wiring.mjs), then formats what it wrote with prettier and rewrites docs/api.md.
// <name> is the plural, kebab-case resource name, e.g. `gadgets` or `gift-cards`.
//
// Options: --no-docs skips rewriting docs/api.md; --dry-run checks the name and every
// anchor and lists the files it would write, writing nothing. On any error before
// docs/api.md nothing is left half-written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nameProblem, namesOf } from './names.mjs';
import { featureLibFiles, migrationFile } from './templates/index.mjs';
import { wiringEdits } from './wiring.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const raw = args.find((arg) => !arg.startsWith('--'));
const skipDocs = args.includes('--no-docs');
const dryRun = args.includes('--dry-run');

function fail(message) {
  console.error(`generate:module: ${message}`);
  process.exit(1);
}

const problem = nameProblem(raw);
if (problem) {
  fail(problem);
}
if (existsSync(path.join(root, 'libs', raw))) {
  fail(`libs/${raw} already exists`);
}
const n = namesOf(raw);
const sqlSnapshot = `docs/sql/${raw}.sql`;

// Everything is computed first (a missing anchor stops here, before any write), then
// written; a failure while writing restores the files that were changed and removes the
// ones that were created.
const writes = new Map(Object.entries(featureLibFiles(n)));
const migration = migrationFile(n, Date.now());
writes.set(migration.path, migration.text);
const read = (file) => readFileSync(path.join(root, file), 'utf8');
try {
  for (const [file, change] of wiringEdits(n, migration)) {
    writes.set(file, change(writes.get(file) ?? read(file)));
  }
} catch (error) {
  fail(`nothing was changed: ${error instanceof Error ? error.message : error}`);
}

if (dryRun) {
  console.log(
    `generate:module: --dry-run, every anchor found; would write:\n  ${[...writes.keys(), sqlSnapshot].join('\n  ')}`,
  );
  process.exit(0);
}

const originals = new Map();
const write = (file, text) => {
  const full = path.join(root, file);
  if (!originals.has(file)) {
    originals.set(file, existsSync(full) ? readFileSync(full, 'utf8') : null);
  }
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
};
try {
  for (const [file, text] of writes) {
    write(file, text);
  }
  // `npm run lint` checks the format of every .ts file under apps, libs and test.
  const written = [...writes.keys()].filter((file) => file.endsWith('.ts'));
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/prettier/bin/prettier.cjs'), '--log-level', 'warn', '--write', ...written],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // After prettier: the snapshot quotes the formatted source (test/architecture/sql-snapshots.spec.ts).
  write(sqlSnapshot, renderSqlSnapshot(sqlSnapshot));
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

console.log(
  `generate:module: created libs/${raw} (${n.Plural}Module, /v1/${raw}) with its migration, specs and ${sqlSnapshot}`,
);
if (!skipDocs) {
  console.log('generate:module: rewriting docs/api.md from the new OpenAPI document');
  execFileSync('npm', ['run', '--silent', 'docs:api'], { cwd: root, stdio: 'inherit' });
}
console.log(`Next: npm run build && npm run lint && npm test -- ${raw}`);

/**
 * The new lib's docs/sql file, rendered by the same code as `npm run sql:snapshots`, but
 * only this one: the generator does not rewrite other features' snapshots.
 */
function renderSqlSnapshot(file) {
  const script = `process.stdout.write(require('./test/architecture/sql-snapshot-files').renderSqlSnapshots(process.cwd()).get(${JSON.stringify(file)}) ?? '')`;
  const text = execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', '-e', script],
    {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.spec.json' },
      encoding: 'utf8',
    },
  );
  if (!text) {
    throw new Error(`no SQL found for ${file} in libs/${raw}'s repositories`);
  }
  return text;
}
