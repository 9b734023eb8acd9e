import { defineErrors, ErrorCodeOf } from './define-errors';
import { ErrorKind } from './domain-error';

/** Errors raised by the cross-cutting platform code itself. */
export class PlatformError extends defineErrors('PlatformError', {
  ValidationFailed: ['VALIDATION_FAILED', ErrorKind.InvalidInput],
  DependencyUnavailable: ['DEPENDENCY_UNAVAILABLE', ErrorKind.Unavailable],
  // Any route's rate limit (libs/platform/src/throttling); the answer says when to retry.
  RateLimited: ['RATE_LIMITED', ErrorKind.RateLimited],
}) {}

export const PlatformErrorCode = PlatformError.codes;
export type PlatformErrorCode = ErrorCodeOf<typeof PlatformErrorCode>;
