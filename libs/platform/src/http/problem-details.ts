import { STATUS_CODES } from 'node:http';
import type { FieldError } from '../errors/domain-error';

/** RFC 9457 problem details, as API.md defines them for every error response. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problemTypeFor(code: string): string {
  return `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

export function buildProblem(input: {
  status: number;
  code: string;
  detail: string;
  requestId: string;
  errors?: FieldError[];
}): ProblemDetails {
  const problem: ProblemDetails = {
    type: problemTypeFor(input.code),
    title: STATUS_CODES[input.status] ?? 'Error',
    status: input.status,
    detail: input.detail,
    code: input.code,
    requestId: input.requestId,
  };
  if (input.errors && input.errors.length > 0) {
    problem.errors = input.errors;
  }
  return problem;
}

/** The code used when an error carries only an HTTP status. */
export function defaultCodeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 406:
      return 'NOT_ACCEPTABLE';
    case 408:
      return 'REQUEST_TIMEOUT';
    case 409:
      return 'CONFLICT';
    case 411:
      return 'LENGTH_REQUIRED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 416:
      return 'RANGE_NOT_SATISFIABLE';
    case 422:
      return 'UNPROCESSABLE_ENTITY';
    case 429:
      return 'RATE_LIMITED';
    case 431:
      return 'HEADERS_TOO_LARGE';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}
