import 'reflect-metadata';
import {
  appConfig,
  createRootLogger,
  ensureDatabase,
  failClosedInProduction,
  installGracefulShutdown,
  loadDotEnv,
  MetricsService,
  startMetricsListener,
} from '@app/platform';
import { createApiApp } from './create-api-app';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  // Before anything starts: no embedded database, generated secret or demo data in production.
  failClosedInProduction('API');
  const config = appConfig();
  const logger = createRootLogger(config, 'api');
  const embedded = await ensureDatabase(logger);
  const app = await createApiApp(config);
  const metrics = await startMetricsListener(app.get(MetricsService), config, logger);
  installGracefulShutdown(app, {
    timeoutMs: config.shutdownTimeoutMs,
    logger,
    afterClose: async () => {
      await metrics?.close();
      await embedded?.stop();
    },
  });
  await app.listen({ port: config.port, host: config.host });
  logger.info(`API listening on http://localhost:${config.port} (Swagger UI at /docs)`);
  // PM2 (wait_ready) routes traffic to this process only after this message.
  process.send?.('ready');
}

bootstrap().catch((error: unknown) => {
  console.error('API failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
