import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/root-logger';
import { errorToProblem } from './error-to-problem';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { REST_SECURITY_HEADERS } from './security-headers';

/**
 * The one global exception filter: every error, from Nest, Fastify, validation, a
 * feature's DomainError or a bug, leaves as RFC 9457 problem+json.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(ROOT_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      throw exception;
    }
    const http = host.switchToHttp();
    this.send(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }

  send(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
    const { problem, headers, unexpected } = errorToProblem(exception, String(request.id));
    if (unexpected) {
      this.logger.error({ err: exception, requestId: request.id, route: request.routeOptions.url }, 'unhandled error');
    } else if (problem.status === 503) {
      this.logger.warn({ err: exception, requestId: request.id }, 'dependency unavailable');
    }
    if (reply.sent) {
      return;
    }
    // A problem is a JSON answer, never cached, even when the error came before the
    // hooks that set these (or after a route set its own caching or HTML headers).
    void reply
      .status(problem.status)
      .headers(REST_SECURITY_HEADERS)
      .header('x-request-id', request.id)
      .headers(headers)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  }
}
