import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { MetricsService } from '../metrics/metrics.service';

interface ObservationSinks {
  logger: Logger;
  metrics: MetricsService;
}

/**
 * One log line and one histogram observation for every request, written where Fastify
 * itself reports a finished request: its log controller (the `logController` option,
 * Fastify's documented way to replace its request log lines). Fastify calls
 * `requestCompleted` when any response finishes (404s, framework and body-parser errors
 * included) and knows the route template by then. An onResponse hook did the same before;
 * any onResponse hook sends every request through Fastify's hook runner, which cost ~2 µs
 * of CPU a request on `/health/live` (docs/performance.md). The log line's object is built
 * only when its level is enabled.
 *
 * Fastify needs the controller when it is created, before Nest has made the logger and the
 * metrics: `observeWith` gives them once the app exists.
 */
export class RequestObservation extends LogController {
  private sinks: ObservationSinks | undefined;

  observeWith(logger: Logger, metrics: MetricsService): void {
    this.sinks = { logger, metrics };
  }

  /** Fastify's own "incoming request" line: the API writes one line per request, at the end. */
  override incomingRequest(): void {}

  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.sinks === undefined) {
      return;
    }
    const { logger, metrics } = this.sinks;
    const statusCode = reply.statusCode;
    const route = request.routeOptions.url ?? 'unmatched';
    const elapsedMs = reply.elapsedTime;
    metrics.httpDuration.observe(route, request.method, statusCode, elapsedMs / 1000);
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
  }
}
