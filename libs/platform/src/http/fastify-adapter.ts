import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app.config';
import { clientErrorHandler } from './client-error';
import { errorToProblem } from './error-to-problem';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { generateRequestId } from './request-id';
import type { RequestObservation } from './request-observation';
import { REST_SECURITY_HEADERS } from './security-headers';

/** `observation` writes every request's log line and metric (configureHttpApp gives it its sinks). */
export function createFastifyAdapter(config: AppConfig, observation: RequestObservation): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    genReqId: generateRequestId,
    // The incoming header is validated in genReqId instead of being trusted as is.
    requestIdHeader: false,
    logger: false,
    logController: observation,
    // On close, requests already arriving on kept-alive sockets are still served
    // (with `Connection: close`, and a lingering close: see lingering-close.ts), so a
    // reload fails no request; idle keep-alive sockets are dropped at once, so
    // shutdown is not held open by idle clients.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Slow or stalled clients (slowloris) cannot hold a connection, and its memory,
    // for long: Node checks these deadlines every second instead of every 30 s.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: 60_000,
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    routerOptions: { maxParamLength: 200 },
    // Errors Node's HTTP parser raises before there is a request (431, 408, framing).
    clientErrorHandler,
    // Errors the router raises before any route or hook runs (a path parameter over
    // maxParamLength: 414, a malformed URL: 400) are problems too, like every other error.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { problem, headers } = errorToProblem(error, request.id);
      void reply
        .code(problem.status)
        .headers(REST_SECURITY_HEADERS)
        .header('x-request-id', request.id)
        .headers(headers ?? {})
        .type(PROBLEM_CONTENT_TYPE)
        .send(problem);
    },
  });
}
