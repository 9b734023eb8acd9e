import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type QueryRunner } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';

/** Any constant works; it only has to be the same in every process of this app. */
export const MIGRATION_LOCK_KEY = 7_426_001;
const LOCK_RETRY_MS = 200;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that the several
 * processes of a PM2 cluster (or pods) starting at once run them exactly once between
 * them. The lock is a transaction-level one, held by a transaction of its own left open
 * on its own connection while the migrations run on others: an open transaction keeps
 * its server connection through PgBouncer in transaction pooling, and its end (or the
 * connection's, if the process dies) releases it. A session lock would not survive the
 * pooler: another client's statement could run on the locking server connection and
 * take the lock again, and the unlock could reach another one and leave it held.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await takeLock(runner);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      // Nothing was written in this transaction: ending it only releases the lock.
      await runner.rollbackTransaction();
    }
  } finally {
    await runner.release();
  }
}

/**
 * Tries rather than waits: a process waiting in `pg_advisory_xact_lock` would hold a
 * server connection of PgBouncer's pool all the while, and enough of them could leave
 * the lock holder none to migrate with. Between tries it holds none.
 */
async function takeLock(runner: QueryRunner): Promise<void> {
  for (;;) {
    await runner.startTransaction();
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
      MIGRATION_LOCK_KEY,
    ])) as Array<{ locked: boolean }>;
    if (locked) {
      return;
    }
    await runner.rollbackTransaction();
    await sleep(LOCK_RETRY_MS);
  }
}

/**
 * A one-off run (the Kubernetes migrations Job, apps/api/src/migrate.ts): connects,
 * applies what is pending under the same lock as a start with DB_MIGRATIONS_RUN=true
 * (so a pod that still migrates at start cannot race it), and disconnects.
 */
export async function migrateDatabase(config: DatabaseConfig, url: string): Promise<string[]> {
  const dataSource = await new DataSource(buildDataSourceOptions(config, url)).initialize();
  try {
    return await runMigrationsExclusively(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
