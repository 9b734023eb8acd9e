import { REPO_ROOT } from './dependency-cruise';
import { committedSqlSnapshots, renderSqlSnapshots, SQL_SNAPSHOT_DIR, UPDATE_COMMAND } from './sql-snapshot-files';

/**
 * Raw SQL is reviewed like code (immich's @GenerateSql idea, read statically): every
 * statement the repositories run through `Database` is recorded per lib in
 * docs/sql/<lib>.sql, so a changed query fails here until the snapshot is rewritten
 * (`npm run sql:snapshots`), and the diff shows the SQL.
 */
describe(`SQL snapshots (${SQL_SNAPSHOT_DIR}/<lib>.sql)`, () => {
  const rendered = renderSqlSnapshots(REPO_ROOT);
  const committed = committedSqlSnapshots(REPO_ROOT);

  it('finds the repositories and their SQL', () => {
    expect(rendered.size).toBeGreaterThan(0);
  });

  it.each([...rendered.keys()])('%s matches the repositories', (file) => {
    if (!committed.has(file)) {
      throw new Error(`${file} is missing: run \`${UPDATE_COMMAND}\` and commit it.`);
    }
    // A mismatch shows the snapshot (-) against the source (+): if the change is meant,
    // run `npm run sql:snapshots` and commit the rewritten file with it.
    expect({ file, sql: rendered.get(file) }).toEqual({ file, sql: committed.get(file) });
  });

  it('has no snapshot of a lib whose repositories run no SQL', () => {
    const stale = [...committed.keys()].filter((file) => !rendered.has(file));
    expect(stale).toEqual([]);
  });
});
