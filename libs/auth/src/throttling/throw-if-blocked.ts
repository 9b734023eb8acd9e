import { AuthError, AuthErrorCode } from '../auth.errors';
import type { AttemptOutcome } from './credential-failure-throttle';

/** A throttled attempt is a 429 AUTH_TOO_MANY_ATTEMPTS with its Retry-After. */
export function throwIfBlocked(outcome: AttemptOutcome, message: string): void {
  if (outcome.kind === 'blocked') {
    throw new AuthError(AuthErrorCode.TooManyAttempts, message, { retryAfterSeconds: outcome.retryAfterSeconds });
  }
}
