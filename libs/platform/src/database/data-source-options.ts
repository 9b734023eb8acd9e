import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/database.config';
import { migrations } from './migrations';

/**
 * The DataSource options shared by the apps (through @nestjs/typeorm) and the TypeORM
 * CLI (ormconfig.ts), so both always see the same database, pool and migrations.
 */
export function buildDataSourceOptions(config: DatabaseConfig, url: string): DataSourceOptions {
  return {
    type: 'postgres',
    // With DATABASE_READ_URLS, TypeORM's replication mode: the driver's `master` pool is the
    // primary (everything `Database` runs by default) and one `slaves` pool per replica, used
    // only by reads marked lag-tolerant (`db.replica`, `hold({ replica: true })`). `defaultMode`
    // keeps TypeORM's own SELECTs (its query builder would pick a replica) on the primary too.
    ...(config.readUrls.length > 0
      ? {
          replication: {
            master: { url },
            slaves: config.readUrls.map((readUrl) => ({ url: readUrl })),
            defaultMode: 'master' as const,
          },
        }
      : { url }),
    synchronize: false,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // Failed queries surface as errors through the problem filter's log; TypeORM's own
    // console logging is for debugging only (DB_LOGGING=true).
    logging: config.logging ? ['query', 'error'] : false,
    applicationName: 'commerce-api',
    poolSize: config.poolSize,
    extra: {
      max: config.poolSize,
      connectionTimeoutMillis: config.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      // A runaway query must not hold a connection forever. Sent as a startup parameter,
      // which PgBouncer refuses: behind it the timeout is the role's default in this
      // database instead (statement-timeout.ts).
      ...(config.pooler === 'none' && { statement_timeout: config.statementTimeoutMs }),
      keepAlive: true,
    },
  };
}
