// First, before anything else loads: an older Node crashes on what follows.
import '@app/platform/require-supported-node';
// Second: tracing (when OTEL_* asks for it) must patch http, pg, redis and amqplib before they load.
import './start-tracing';
import 'reflect-metadata';
import {
  appConfig,
  collectStartupGarbage,
  createRootLogger,
  ensureDatabase,
  exitAfterStartupFailure,
  failClosedInProduction,
  installGracefulShutdown,
  startHeartbeatFile,
  loadDotEnv,
  NestLogger,
} from '@app/platform';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

/** What a failed start must stop: an embedded PostgreSQL would outlive the process. */
const started: { embedded?: { stop(): Promise<void> } } = {};

async function bootstrap(): Promise<void> {
  loadDotEnv();
  failClosedInProduction('worker');
  const config = appConfig();
  const logger = createRootLogger(config, 'worker');
  const embedded = await ensureDatabase(logger);
  started.embedded = embedded;
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(NestLogger));
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs, logger, afterClose: embedded?.stop });
  await app.init();
  if (config.workerHeartbeatFile) {
    startHeartbeatFile(config.workerHeartbeatFile);
  }
  collectStartupGarbage();
  logger.info('worker started');
  process.send?.('ready');
}

bootstrap().catch((error: unknown) => exitAfterStartupFailure('worker', error, () => started.embedded?.stop()));
