/**
 * What went wrong, in words a service may use without knowing about HTTP.
 * The global exception filter maps each kind to a status code; a feature maps each
 * of its own error codes to a kind (one exhaustive switch per feature).
 */
export enum ErrorKind {
  InvalidInput = 'invalid_input',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  Unprocessable = 'unprocessable',
  PayloadTooLarge = 'payload_too_large',
  RangeNotSatisfiable = 'range_not_satisfiable',
  RateLimited = 'rate_limited',
  Unavailable = 'unavailable',
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Base class of every feature's error (`OrderError`, `UserError`, ...). It carries a
 * stable UPPER_SNAKE `code` that clients switch on; the message becomes the problem's
 * `detail`, so it must be safe to show to the caller.
 */
export abstract class DomainError extends Error {
  /** Extra headers the transport should send (e.g. Retry-After); ignored by non-HTTP callers. */
  readonly headers: Record<string, string> = {};

  protected constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}
