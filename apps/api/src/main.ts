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
  explainListenError,
  exitAfterStartupFailure,
  failClosedInProduction,
  installGracefulShutdown,
  loadDotEnv,
  logFormat,
  MetricsService,
  startMetricsListener,
} from '@app/platform';
import { createApiApp } from './create-api-app';
import { formatBanner } from './startup-banner';
import { gatherStartupFacts } from './startup-facts';

/** What a failed start must stop: an embedded PostgreSQL would outlive the process. */
const started: { embedded?: { stop(): Promise<void> } } = {};

async function bootstrap(): Promise<void> {
  loadDotEnv();
  // Before anything starts: no embedded database, generated secret or demo data in production.
  failClosedInProduction('API');
  const config = appConfig();
  const logger = createRootLogger(config, 'api');
  const embedded = await ensureDatabase(logger);
  started.embedded = embedded;
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
  await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    throw explainListenError(error, 'the API', `${config.host}:${config.port}`, 'PORT');
  });
  // Before the process reports ready: start-up's garbage is not kept until the first load.
  collectStartupGarbage();
  const facts = gatherStartupFacts(app, config, embedded);
  if (logFormat(config.env, process.stdout.isTTY) === 'pretty') {
    process.stdout.write(formatBanner(facts));
  } else {
    logger.info(facts, 'ready');
  }
  // PM2 (wait_ready) routes traffic to this process only after this message.
  process.send?.('ready');
}

bootstrap().catch((error: unknown) => exitAfterStartupFailure('API', error, () => started.embedded?.stop()));
