import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collectRepositorySql, RepositorySql } from './repository-sql';

/** One file per lib: `docs/sql/<lib>.sql`. */
export const SQL_SNAPSHOT_DIR = 'docs/sql';
export const UPDATE_COMMAND = 'npm run sql:snapshots';

/** The snapshot files the repositories under `root` call for, by path from `root`. */
export function renderSqlSnapshots(root: string): Map<string, string> {
  const byLib = new Map<string, RepositorySql[]>();
  for (const repository of collectRepositorySql(root)) {
    const lib = repository.file.split('/')[1];
    byLib.set(lib, [...(byLib.get(lib) ?? []), repository]);
  }
  return new Map(
    [...byLib].map(([lib, repositories]) => [`${SQL_SNAPSHOT_DIR}/${lib}.sql`, renderLib(lib, repositories)]),
  );
}

/** The snapshot files committed under `root`, by path from `root`. */
export function committedSqlSnapshots(root: string): Map<string, string> {
  const dir = path.join(root, SQL_SNAPSHOT_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.sql'));
  } catch {
    return new Map();
  }
  return new Map(names.map((name) => [`${SQL_SNAPSHOT_DIR}/${name}`, readFileSync(path.join(dir, name), 'utf8')]));
}

/** Rewrites the snapshot files to match the source, and deletes those no repository calls for. */
export function writeSqlSnapshots(root: string): { written: string[]; removed: string[] } {
  const rendered = renderSqlSnapshots(root);
  const removed = [...committedSqlSnapshots(root).keys()].filter((file) => !rendered.has(file));
  for (const file of removed) {
    rmSync(path.join(root, file));
  }
  mkdirSync(path.join(root, SQL_SNAPSHOT_DIR), { recursive: true });
  for (const [file, text] of rendered) {
    writeFileSync(path.join(root, file), text);
  }
  return { written: [...rendered.keys()], removed };
}

function renderLib(lib: string, repositories: RepositorySql[]): string {
  const parts = [
    `-- The SQL that libs/${lib}'s repositories run, by repository method.`,
    `-- Generated from the source by \`${UPDATE_COMMAND}\` and checked by test/architecture/sql-snapshots.spec.ts:`,
    '-- do not edit; rewrite it with the command and review the diff. ${...} is interpolated source text.',
  ];
  for (const repository of repositories) {
    parts.push('', `-- ==== ${repository.className ?? 'functions'} (${repository.file})`);
    for (const constant of repository.constants) {
      const where = constant.file === repository.file ? '' : ` (${constant.file})`;
      parts.push('', `-- const ${constant.name}${where} =`, constant.text);
    }
    const perMethod = new Map<string, number>();
    for (const { method } of repository.statements) {
      perMethod.set(method, (perMethod.get(method) ?? 0) + 1);
    }
    const seen = new Map<string, number>();
    for (const { method, sql, via, replica } of repository.statements) {
      const index = (seen.get(method) ?? 0) + 1;
      seen.set(method, index);
      const count = perMethod.get(method)!;
      const position = count > 1 ? ` (${index} of ${count})` : '';
      const owner = repository.className ? `${repository.className}.${method}` : `${method}()`;
      const where = via ? `, on ${via}.query` : replica ? ', on a replica (lag-tolerant)' : '';
      parts.push('', `-- ${owner}${position}${where}`, sql);
    }
  }
  return `${parts.join('\n')}\n`;
}
