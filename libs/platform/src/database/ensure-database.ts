import type { Logger } from 'pino';
import { readDatabaseConfig } from '../config/database.config';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

/**
 * Runs before the Nest application is created: with no DATABASE_URL, starts the
 * embedded PostgreSQL and points DATABASE_URL at it, so the rest of the app only ever
 * sees a URL. Returns the embedded server (to stop on shutdown), if one was started.
 */
export async function ensureDatabase(logger: Logger): Promise<EmbeddedDatabase | undefined> {
  const config = readDatabaseConfig();
  if (config.url) {
    return undefined;
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.embeddedDir,
    port: config.embeddedPort,
    log: (message) => logger.info(message),
  });
  process.env.DATABASE_URL = embedded.url;
  process.env.DATABASE_EMBEDDED = 'true';
  return embedded;
}

/**
 * Demo data is seeded by default only into the embedded database of `npm start`, and
 * never in production (its accounts have published passwords).
 */
export function shouldSeedDemoData(): boolean {
  if (process.env.NODE_ENV === 'production') {
    return false;
  }
  const { seedDemoData } = readDatabaseConfig();
  return seedDemoData === 'true' || (seedDemoData === 'auto' && process.env.DATABASE_EMBEDDED === 'true');
}
