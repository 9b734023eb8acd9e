import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/** Observes every request in Fastify's onResponse hook (no interceptor on the hot path). */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
