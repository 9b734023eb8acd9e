import 'reflect-metadata';
import {
  appConfig,
  createRootLogger,
  ensureDatabase,
  failClosedInProduction,
  installGracefulShutdown,
  loadDotEnv,
} from '@app/platform';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  loadDotEnv();
  failClosedInProduction('worker');
  const config = appConfig();
  const logger = createRootLogger(config, 'worker');
  const embedded = await ensureDatabase(logger);
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger, afterClose: embedded?.stop });
  await app.init();
  logger.info('worker started');
  process.send?.('ready');
}

bootstrap().catch((error: unknown) => {
  console.error('worker failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
