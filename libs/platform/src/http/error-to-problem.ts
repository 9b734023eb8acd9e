import { HttpException } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { isDependencyFailure } from './dependency-failure';
import { statusForErrorKind } from './error-kind-status';
import { buildProblem, defaultCodeForStatus, ProblemDetails } from './problem-details';

export interface ProblemResponse {
  problem: ProblemDetails;
  headers: Record<string, string>;
  /** True when the error is unexpected and must be logged with its stack. */
  unexpected: boolean;
}

interface ErrorWithStatus {
  statusCode: number;
  code?: string;
  message?: string;
}

/** Maps any thrown value to the problem the client sees. Nothing internal leaks. */
export function errorToProblem(error: unknown, requestId: string): ProblemResponse {
  if (error instanceof DomainError) {
    return {
      problem: buildProblem({
        status: statusForErrorKind(error.kind),
        code: error.code,
        detail: error.message,
        requestId,
        errors: error.errors,
      }),
      headers: domainErrorHeaders(error),
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own 4xx errors (bad JSON, body too large) with the original as cause.
    return hasClientStatus(error.cause)
      ? fromFastifyError(error.cause, requestId)
      : fromHttpException(error, requestId);
  }
  if (isDependencyFailure(error)) {
    return {
      problem: buildProblem({
        status: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
        detail: 'A service this request depends on is unavailable; retry shortly.',
        requestId,
      }),
      headers: { 'retry-after': '1' },
      unexpected: false,
    };
  }
  if (hasClientStatus(error)) {
    return fromFastifyError(error, requestId);
  }
  return {
    problem: buildProblem({
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
      requestId,
    }),
    headers: {},
    unexpected: true,
  };
}

/** What a domain error says beyond its code, as the headers HTTP says it with. */
function domainErrorHeaders(error: DomainError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) {
    // Whole seconds, at least one: "0" would invite an immediate retry into the same limit.
    headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  }
  if (error.sizeBytes !== undefined) {
    headers['content-range'] = `bytes */${error.sizeBytes}`;
  }
  if (error.inputLeftUnread) {
    headers.connection = 'close';
  }
  return headers;
}

function fromHttpException(error: HttpException, requestId: string): ProblemResponse {
  const status = error.getStatus();
  const body = error.getResponse();
  let code = defaultCodeForStatus(status);
  let detail = error.message;
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    if (typeof record.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(record.code)) {
      code = record.code;
    }
    if (typeof record.detail === 'string') {
      detail = record.detail;
    } else if (typeof record.message === 'string') {
      detail = record.message;
    } else if (Array.isArray(record.message)) {
      detail = record.message.filter((m) => typeof m === 'string').join('; ');
    }
  }
  if (status >= 500 && status !== 503) {
    detail = 'An unexpected error occurred. Quote the requestId when reporting it.';
  }
  return {
    problem: buildProblem({ status, code, detail, requestId }),
    headers: {},
    unexpected: status >= 500 && status !== 503,
  };
}

function hasClientStatus(error: unknown): error is ErrorWithStatus {
  const status = (error as Partial<ErrorWithStatus> | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Fastify's own errors (body too large, bad JSON, bad content type) carry a 4xx statusCode. */
function fromFastifyError(error: ErrorWithStatus, requestId: string): ProblemResponse {
  const status = error.statusCode;
  let code = defaultCodeForStatus(status);
  let detail = STATUS_DETAIL[status] ?? 'The request could not be processed.';
  if (
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (status === 400 && error instanceof SyntaxError)
  ) {
    code = 'MALFORMED_JSON';
    detail = 'The request body is not valid JSON.';
  }
  return { problem: buildProblem({ status, code, detail, requestId }), headers: {}, unexpected: false };
}

const STATUS_DETAIL: Record<number, string> = {
  400: 'The request is malformed.',
  413: 'The request body is larger than this endpoint accepts.',
  415: 'The request content type is not supported by this endpoint.',
  431: 'The request headers are too large.',
};
