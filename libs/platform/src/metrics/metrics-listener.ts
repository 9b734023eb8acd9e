import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app.config';
import { describeStartupFailure, explainListenError, StartupError } from '../lifecycle/startup-failure';
import type { MetricsService } from './metrics.service';

export interface MetricsListener {
  /** The bound port (useful when configured as 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on a listener of its own (METRICS_HOST:METRICS_PORT, loopback
 * by default), so route counts, auth failure rates and the Node version never reach
 * the public port. A plain node:http server: it answers one path for one client, the
 * scraper, and needs none of the API's pipeline.
 *
 * A port that is taken is logged and skipped: metrics must never keep the API down.
 */
export async function startMetricsListener(
  metrics: MetricsService,
  config: AppConfig,
  logger: Logger,
): Promise<MetricsListener | undefined> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.render().then(
      (body) =>
        response
          .writeHead(200, { 'content-type': metrics.contentType(), 'cache-control': 'no-store' })
          .end(request.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics could not be rendered');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.metrics.port, config.metrics.host, () => resolve());
    });
  } catch (error) {
    // One line naming the variable, no stack: the API carries on without /metrics.
    const address = `${config.metrics.host}:${config.metrics.port}`;
    const explained = explainListenError(error, 'the metrics listener', address, 'METRICS_PORT');
    const reason =
      explained instanceof StartupError
        ? explained.message
        : `the metrics listener cannot listen on ${address} (METRICS_HOST, METRICS_PORT): ${describeStartupFailure(error)}`;
    logger.warn(`${reason}; the API runs without /metrics`);
    return undefined;
  }
  const { port } = server.address() as AddressInfo;
  logger.info(`metrics on http://${config.metrics.host}:${port}/metrics`);
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
