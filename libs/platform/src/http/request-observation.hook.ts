import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Histogram } from 'prom-client';
import type { MetricsService } from '../metrics/metrics.service';

type DurationSeries = ReturnType<Histogram<'route' | 'method' | 'status'>['labels']>;

/**
 * One log line and one histogram observation for every request, from a single
 * onResponse hook rather than interceptors: it sees every request (404s and
 * body-parser errors included), knows the route template, and costs no rxjs wrapping.
 * The histogram's series are kept per route, method and status, so an observation
 * does not hash its labels each time.
 */
export function installRequestObservation(fastify: FastifyInstance, logger: Logger, metrics: MetricsService): void {
  const series = new Map<string, DurationSeries>();
  const seriesOf = (route: string, method: string, status: string): DurationSeries => {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      found = metrics.httpDuration.labels(route, method, status);
      series.set(key, found);
    }
    return found;
  };

  fastify.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const route = request.routeOptions.url ?? 'unmatched';
    const elapsedMs = reply.elapsedTime;
    seriesOf(route, request.method, String(statusCode)).observe(elapsedMs / 1000);
    const level = statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        { requestId: request.id, method: request.method, route, url: request.url, statusCode, durationMs: Math.round(elapsedMs * 100) / 100 },
        'request completed',
      );
    }
    done();
  });
}
