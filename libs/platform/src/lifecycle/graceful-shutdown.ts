import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { stopTracing } from '../tracing/trace-context';

/**
 * On SIGTERM or SIGINT: stop accepting, let in-flight work finish, close the pool,
 * Redis and RabbitMQ (Nest's shutdown hooks, which run after the HTTP server has
 * drained), run `afterClose` (e.g. stop embedded PostgreSQL), export the buffered spans
 * (when tracing is on) and exit 0. A drain
 * that outlives `timeoutMs` exits 1 rather than hang a deploy.
 */
export function installGracefulShutdown(
  app: INestApplicationContext,
  options: { timeoutMs: number; logger: Logger; afterClose?: () => Promise<void> },
): void {
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    // A second signal (npm or PM2 may forward one) must not cut the drain short.
    if (shuttingDown) {
      options.logger.info({ signal }, 'already shutting down');
      return;
    }
    shuttingDown = true;
    options.logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out; exiting');
      options.logger.flush();
      process.exit(1);
    }, options.timeoutMs);
    forceExit.unref();
    void (async () => {
      let code = 0;
      try {
        await app.close();
        await options.afterClose?.();
        // The spans of the last requests and messages are still in the batch.
        await stopTracing();
        options.logger.info('shutdown complete');
      } catch (error) {
        code = 1;
        options.logger.error({ err: error }, 'shutdown failed');
      }
      options.logger.flush(() => process.exit(code));
    })();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
