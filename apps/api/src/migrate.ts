// First, before anything else loads: an older Node crashes on what follows.
import '@app/platform/require-supported-node';
import 'reflect-metadata';
import {
  appConfig,
  createRootLogger,
  exitAfterStartupFailure,
  loadDotEnv,
  migrateDatabase,
  readDatabaseConfig,
} from '@app/platform';

/**
 * `node dist/apps/api/src/migrate.js`: applies the pending migrations and exits 0, for
 * a deployment that migrates once before its rollout (the Kubernetes Job in
 * deploy/k8s) and runs its pods with DB_MIGRATIONS_RUN=false.
 */
async function migrate(): Promise<void> {
  loadDotEnv();
  const logger = createRootLogger(appConfig(), 'migrations');
  const config = readDatabaseConfig();
  if (!config.url) {
    throw new Error('DATABASE_URL is required: migrations run against the deployment database, never an embedded one');
  }
  const applied = await migrateDatabase(config, config.url);
  logger.info({ applied }, applied.length > 0 ? `applied ${applied.length} migrations` : 'no pending migrations');
  logger.flush();
}

migrate().catch((error: unknown) => exitAfterStartupFailure('migrations', error));
