import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { env, parseEnv } from './env-schema';

export function readDatabaseConfig(source: NodeJS.ProcessEnv = process.env) {
  const vars = parseEnv(
    'database',
    {
      DATABASE_URL: env.optionalUrl(['postgres', 'postgresql']),
      // Streaming replicas for lag-tolerant reads only (docs/scaling.md, "Read replicas").
      DATABASE_READ_URLS: env.urlList(['postgres', 'postgresql']),
      // `pgbouncer`: DATABASE_URL is a PgBouncer in transaction pooling mode (docs/scaling.md).
      DATABASE_POOLER: z.enum(['none', 'pgbouncer']).default('none'),
      DB_POOL_SIZE: env.int(10, 1, 500),
      DB_MIGRATIONS_RUN: env.bool(true),
      DB_STATEMENT_TIMEOUT_MS: env.int(15_000, 0),
      // An export is one COPY statement that lasts as long as its slowest reader.
      DB_EXPORT_STATEMENT_TIMEOUT_MS: env.int(3_600_000, 0),
      DB_CONNECT_TIMEOUT_MS: env.int(3_000, 100),
      DB_LOGGING: env.bool(false),
      EMBEDDED_PG_DIR: z.string().default('.data/postgres'),
      EMBEDDED_PG_PORT: env.int(54329, 1, 65535),
      SEED_DEMO_DATA: z.enum(['auto', 'true', 'false']).default('auto'),
    },
    source,
  );
  return {
    url: vars.DATABASE_URL,
    readUrls: vars.DATABASE_READ_URLS,
    pooler: vars.DATABASE_POOLER,
    poolSize: vars.DB_POOL_SIZE,
    migrationsRun: vars.DB_MIGRATIONS_RUN,
    statementTimeoutMs: vars.DB_STATEMENT_TIMEOUT_MS,
    exportStatementTimeoutMs: vars.DB_EXPORT_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: vars.DB_CONNECT_TIMEOUT_MS,
    logging: vars.DB_LOGGING,
    embeddedDir: vars.EMBEDDED_PG_DIR,
    embeddedPort: vars.EMBEDDED_PG_PORT,
    seedDemoData: vars.SEED_DEMO_DATA,
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());

export type DatabaseConfig = ReturnType<typeof readDatabaseConfig>;
