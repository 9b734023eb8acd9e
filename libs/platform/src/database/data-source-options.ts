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
    // The primary only. Read replicas (DATABASE_READ_URLS) get their pools after the start
    // (attachReplicaPools): TypeORM's replication mode would refuse to start while one is down.
    url,
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
