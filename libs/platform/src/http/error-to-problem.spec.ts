import {
  BadRequestException,
  HttpException,
  HttpStatus,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { DomainError, DomainErrorDetails, ErrorKind } from '../errors/domain-error';
import { errorToProblem } from './error-to-problem';

/** A feature's error, as defineErrors() makes one: a code, a kind, a safe message, facts. */
class WidgetError extends DomainError {
  constructor(code: string, kind: ErrorKind, message: string, details?: DomainErrorDetails) {
    super(code, kind, message, details);
  }
}

const REQUEST_ID = 'req-1';
const INTERNAL_DETAIL = 'An unexpected error occurred. Quote the requestId when reporting it.';

/** Typed over every kind: a kind added without a status here fails to compile. */
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  [ErrorKind.InvalidInput]: 400,
  [ErrorKind.Unauthenticated]: 401,
  [ErrorKind.Forbidden]: 403,
  [ErrorKind.NotFound]: 404,
  [ErrorKind.Conflict]: 409,
  [ErrorKind.Unprocessable]: 422,
  [ErrorKind.PayloadTooLarge]: 413,
  [ErrorKind.RangeNotSatisfiable]: 416,
  [ErrorKind.RateLimited]: 429,
  [ErrorKind.Unavailable]: 503,
};

describe('errorToProblem', () => {
  describe('domain errors', () => {
    it.each(Object.values(ErrorKind))('maps the %s kind to its status', (kind) => {
      const { problem, unexpected } = errorToProblem(new WidgetError('WIDGET_FAILED', kind, 'It failed.'), REQUEST_ID);
      expect(problem.status).toBe(STATUS_BY_KIND[kind]);
      expect(unexpected).toBe(false);
    });

    it('builds the RFC 9457 problem from the code and the message', () => {
      const { problem } = errorToProblem(
        new WidgetError('WIDGET_NOT_FOUND', ErrorKind.NotFound, 'Widget w1 does not exist.'),
        REQUEST_ID,
      );
      // Exactly these members: no stack, no cause, no `errors` when there are none.
      expect(problem).toEqual({
        type: '/problems/widget-not-found',
        title: 'Not Found',
        status: 404,
        detail: 'Widget w1 does not exist.',
        code: 'WIDGET_NOT_FOUND',
        requestId: REQUEST_ID,
      });
    });

    it('carries field errors, and leaves `errors` out when the list is empty', () => {
      const errors = [
        { field: 'items[0].quantity', message: 'must be a positive integer' },
        { field: 'currency', message: 'must be an ISO 4217 code' },
      ];
      const withErrors = errorToProblem(
        new WidgetError('VALIDATION_FAILED', ErrorKind.InvalidInput, 'Invalid.', { errors }),
        REQUEST_ID,
      );
      expect(withErrors.problem.errors).toEqual(errors);

      const empty = errorToProblem(
        new WidgetError('VALIDATION_FAILED', ErrorKind.InvalidInput, 'Invalid.', { errors: [] }),
        REQUEST_ID,
      );
      expect(empty.problem).not.toHaveProperty('errors');
    });
    it('sends no header for an error that states no facts', () => {
      expect(errorToProblem(new WidgetError('WIDGET_TAKEN', ErrorKind.Conflict, 'Taken.'), REQUEST_ID).headers).toEqual(
        {},
      );
    });

    it.each([
      [0.2, '1'],
      [0, '1'],
      [2.1, '3'],
      [60, '60'],
    ])('turns retryAfterSeconds %p into Retry-After %s (whole seconds, at least one)', (retryAfterSeconds, header) => {
      const error = new WidgetError('RATE_LIMITED', ErrorKind.RateLimited, 'Slow down.', { retryAfterSeconds });
      const { problem, headers } = errorToProblem(error, REQUEST_ID);
      expect(problem.status).toBe(429);
      expect(headers).toEqual({ 'retry-after': header });
    });

    it('turns sizeBytes into Content-Range and unread input into Connection: close', () => {
      const range = new WidgetError('RANGE_NOT_SATISFIABLE', ErrorKind.RangeNotSatisfiable, 'Past the end.', {
        sizeBytes: 1234,
      });
      expect(errorToProblem(range, REQUEST_ID).headers).toEqual({ 'content-range': 'bytes */1234' });

      const tooLarge = new WidgetError('FILE_TOO_LARGE', ErrorKind.PayloadTooLarge, 'Too large.', {
        inputLeftUnread: true,
      });
      expect(errorToProblem(tooLarge, REQUEST_ID).headers).toEqual({ connection: 'close' });
    });
  });

  describe("Nest's HttpException", () => {
    it('takes the status and a default code from it', () => {
      const { problem, unexpected } = errorToProblem(new NotFoundException('No route here.'), REQUEST_ID);
      expect(problem).toMatchObject({
        status: 404,
        code: 'NOT_FOUND',
        title: 'Not Found',
        detail: 'No route here.',
        type: '/problems/not-found',
      });
      expect(unexpected).toBe(false);
    });

    it('keeps an UPPER_SNAKE code from the body, and ignores any other', () => {
      const coded = errorToProblem(
        new BadRequestException({ code: 'BAD_CURSOR', message: 'The cursor is invalid.' }),
        REQUEST_ID,
      );
      expect(coded.problem).toMatchObject({ status: 400, code: 'BAD_CURSOR', detail: 'The cursor is invalid.' });

      const notACode = errorToProblem(new BadRequestException({ code: 'drop table', message: 'x' }), REQUEST_ID);
      expect(notACode.problem.code).toBe('BAD_REQUEST');
    });

    it('joins a list of messages, and prefers `detail` over `message`', () => {
      const list = errorToProblem(
        new BadRequestException({ message: ['name is empty', 42, 'price is negative'] }),
        REQUEST_ID,
      );
      expect(list.problem.detail).toBe('name is empty; price is negative');

      const detailed = errorToProblem(
        new BadRequestException({ detail: 'Use detail.', message: 'Not this.' }),
        REQUEST_ID,
      );
      expect(detailed.problem.detail).toBe('Use detail.');
    });

    it('hides the message of a 5xx and flags it as unexpected, except a 503', () => {
      const internal = errorToProblem(
        new HttpException('pool exhausted at db.internal:5432', HttpStatus.INTERNAL_SERVER_ERROR),
        REQUEST_ID,
      );
      expect(internal.problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', detail: INTERNAL_DETAIL });
      expect(internal.unexpected).toBe(true);

      const unavailable = errorToProblem(new ServiceUnavailableException('Shutting down; retry.'), REQUEST_ID);
      expect(unavailable.problem).toMatchObject({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        detail: 'Shutting down; retry.',
      });
      expect(unavailable.unexpected).toBe(false);
    });

    it('answers for the Fastify error it wraps (bad JSON becomes MALFORMED_JSON)', () => {
      const fastifyError = Object.assign(new Error('Unexpected token } in JSON at position 9'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      });
      const { problem } = errorToProblem(new BadRequestException('Bad Request', { cause: fastifyError }), REQUEST_ID);
      expect(problem).toMatchObject({
        status: 400,
        code: 'MALFORMED_JSON',
        detail: 'The request body is not valid JSON.',
      });
      expect(JSON.stringify(problem)).not.toContain('position 9');
    });
  });

  describe("Fastify's own 4xx errors", () => {
    it.each([
      [413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts.'],
      [415, 'UNSUPPORTED_MEDIA_TYPE', 'The request content type is not supported by this endpoint.'],
      [431, 'HEADERS_TOO_LARGE', 'The request headers are too large.'],
      [408, 'REQUEST_TIMEOUT', 'The request could not be processed.'],
    ])('maps a %i to %s with a fixed detail', (statusCode, code, detail) => {
      const error = Object.assign(new Error('internal wording'), { statusCode, code: 'FST_ERR_SOMETHING' });
      expect(errorToProblem(error, REQUEST_ID)).toEqual({
        problem: expect.objectContaining({ status: statusCode, code, detail }),
        headers: {},
        unexpected: false,
      });
    });

    it('treats an empty JSON body as malformed JSON', () => {
      const error = Object.assign(new Error('Body cannot be empty'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_EMPTY_JSON_BODY',
      });
      expect(errorToProblem(error, REQUEST_ID).problem.code).toBe('MALFORMED_JSON');
    });
  });

  it('turns an unavailable dependency into a 503 the client may retry after a second', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    const { problem, headers, unexpected } = errorToProblem(error, REQUEST_ID);
    expect(problem).toMatchObject({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    expect(problem.detail).not.toContain('10.0.0.5');
    expect(headers).toEqual({ 'retry-after': '1' });
    expect(unexpected).toBe(false);
  });

  it.each([
    ['an Error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a 5xx statusCode on a plain error', Object.assign(new Error('SELECT * FROM users failed'), { statusCode: 500 })],
    ['a string', 'something broke'],
    ['null', null],
  ])('answers %s with a 500 that says nothing internal', (_what, thrown) => {
    const { problem, headers, unexpected } = errorToProblem(thrown, REQUEST_ID);
    expect(problem).toEqual({
      type: '/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: INTERNAL_DETAIL,
      code: 'INTERNAL_ERROR',
      requestId: REQUEST_ID,
    });
    expect(headers).toEqual({});
    expect(unexpected).toBe(true);
  });
});
