import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * One JSON line per request, written from Fastify's onResponse hook rather than an
 * interceptor: it sees every request (404s and body-parser errors included), knows the
 * route template, and costs no rxjs wrapping.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const level = statusCode >= 500 ? 'error' : 'info';
    logger[level](
      {
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        url: request.url,
        statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
    done();
  });
}
