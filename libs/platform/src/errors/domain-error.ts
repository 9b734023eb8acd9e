/**
 * What went wrong, in words a service may use without knowing about HTTP.
 * The global exception filter maps each kind to a status code; a feature maps each
 * of its own error codes to a kind in its error table (see define-errors.ts).
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
 * What a caller may need besides the code and message, said without naming a
 * transport: the HTTP problem filter turns each into its header (error-to-problem.ts).
 */
export interface DomainErrorDetails {
  /** Which fields of the input are wrong, and why. */
  errors?: FieldError[];
  /** How long the caller should wait before trying again (a rate limit). */
  retryAfterSeconds?: number;
  /** The size of the whole resource a part was asked of (an unsatisfiable byte range). */
  sizeBytes?: number;
  /** The caller's input was left partly unread, so the connection cannot carry another request. */
  inputLeftUnread?: boolean;
}

/**
 * Base class of every feature's error (`OrderError`, `UserError`, ...), declared with
 * defineErrors(). It carries a stable UPPER_SNAKE `code` that clients switch on; the
 * message becomes the problem's `detail`, so it must be safe to show to the caller.
 */
export abstract class DomainError extends Error {
  readonly errors?: FieldError[];
  readonly retryAfterSeconds?: number;
  readonly sizeBytes?: number;
  readonly inputLeftUnread?: boolean;

  protected constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.errors = details.errors;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.sizeBytes = details.sizeBytes;
    this.inputLeftUnread = details.inputLeftUnread;
  }
}
