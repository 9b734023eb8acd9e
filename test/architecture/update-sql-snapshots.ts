/**
 * `npm run sql:snapshots`: rewrites docs/sql/<lib>.sql from the repositories' source
 * (see sql-snapshots.spec.ts). Review the diff and commit it with the query change.
 */
import { REPO_ROOT } from './dependency-cruise';
import { writeSqlSnapshots } from './sql-snapshot-files';

const { written, removed } = writeSqlSnapshots(REPO_ROOT);
console.log(
  `SQL snapshots written: ${written.join(', ') || 'none'}${removed.length > 0 ? `; removed: ${removed.join(', ')}` : ''}`,
);
