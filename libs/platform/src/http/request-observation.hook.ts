import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MetricsService } from '../metrics/metrics.service';

/**
 * One log line and one histogram observation for every request, from a single
 * onResponse hook rather than interceptors: it sees every request (404s and
 * body-parser errors included), knows the route template, and costs no rxjs wrapping.
 * The log line's object is built only when its level is enabled.
 */
export function installRequestObservation(fastify: FastifyInstance, logger: Logger, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const route = request.routeOptions.url ?? 'unmatched';
    const elapsedMs = reply.elapsedTime;
    metrics.httpDuration.observe({ route, method: request.method, status: String(statusCode) }, elapsedMs / 1000);
    const level = statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          requestId: request.id,
          method: request.method,
          route,
          url: request.url,
          statusCode,
          durationMs: Math.round(elapsedMs * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  });
}
