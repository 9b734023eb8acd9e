// globalSetup runs outside jest's module mapper: relative imports only.
import { readDatabaseConfig } from '../../libs/platform/src/config/database.config';
import { buildDataSourceOptions } from '../../libs/platform/src/database/data-source-options';
import { runMigrationsExclusively } from '../../libs/platform/src/database/run-migrations';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';
import { DataSource } from 'typeorm';
import { adminQuery, uniqueRunName, withDatabase } from './test-database';

/**
 * Each `npm test` run works in a database of its own, created here with every
 * migration applied and dropped by the teardown. It uses the servers named by
 * DATABASE_URL, REDIS_URL and AMQP_URL when they are set (CI points them at this
 * machine's real servers), else embedded PostgreSQL, the memory cache and the
 * in-process bus.
 */
export default async function globalSetup(): Promise<void> {
  const runName = uniqueRunName();
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // Its own port (not EMBEDDED_PG_PORT), so a test run and a running `npm start` never meet.
    const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330);
    const embedded = await startEmbeddedPostgres({ dataDir: '.data/test-postgres', port });
    (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void> } }).__EMBEDDED_PG__ = embedded;
    serverUrl = embedded.url;
  }
  await adminQuery(serverUrl, `CREATE DATABASE "${runName}"`);
  const databaseUrl = withDatabase(serverUrl, runName);

  process.env.TEST_SERVER_DATABASE_URL = serverUrl;
  process.env.TEST_RUN_NAME = runName;
  process.env.DATABASE_URL = databaseUrl;
  // Keys and queues of this run are prefixed with its name on the shared servers.
  process.env.REDIS_KEY_PREFIX = runName;
  process.env.AMQP_NAME_PREFIX = runName;
  process.env.AMQP_QUEUE_EXPIRES_MS = '300000';

  const dataSource = await new DataSource(buildDataSourceOptions(readDatabaseConfig(), databaseUrl)).initialize();
  try {
    await runMigrationsExclusively(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
