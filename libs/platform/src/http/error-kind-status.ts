import { ErrorKind } from '../errors/domain-error';

/** The one place where an HTTP-agnostic error kind becomes a status code. */
export function statusForErrorKind(kind: ErrorKind): number {
  switch (kind) {
    case ErrorKind.InvalidInput:
      return 400;
    case ErrorKind.Unauthenticated:
      return 401;
    case ErrorKind.Forbidden:
      return 403;
    case ErrorKind.NotFound:
      return 404;
    case ErrorKind.Conflict:
      return 409;
    case ErrorKind.Unprocessable:
      return 422;
    case ErrorKind.PayloadTooLarge:
      return 413;
    case ErrorKind.RangeNotSatisfiable:
      return 416;
    case ErrorKind.RateLimited:
      return 429;
    case ErrorKind.Unavailable:
      return 503;
  }
}
