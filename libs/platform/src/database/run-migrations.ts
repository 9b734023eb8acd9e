import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { buildDataSourceOptions } from './data-source-options';

/** Any constant works; it only has to be the same in every process of this app. */
const MIGRATION_LOCK_KEY = 7_426_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that the several
 * processes of a PM2 cluster starting at once run them exactly once between them.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
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
