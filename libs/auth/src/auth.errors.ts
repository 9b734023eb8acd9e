import { defineErrors, ErrorCodeOf, ErrorKind } from '@app/platform';

/**
 * A taken email is the users feature's USER_EMAIL_TAKEN (its UserError); the general
 * rate limit is the platform's RATE_LIMITED. Auth defines only its own codes.
 */
export class AuthError extends defineErrors('AuthError', {
  InvalidCredentials: ['AUTH_INVALID_CREDENTIALS', ErrorKind.Unauthenticated],
  Unauthenticated: ['AUTH_UNAUTHENTICATED', ErrorKind.Unauthenticated],
  TokenInvalid: ['AUTH_TOKEN_INVALID', ErrorKind.Unauthenticated],
  TokenExpired: ['AUTH_TOKEN_EXPIRED', ErrorKind.Unauthenticated],
  RefreshInvalid: ['AUTH_REFRESH_INVALID', ErrorKind.Unauthenticated],
  RefreshReused: ['AUTH_REFRESH_REUSED', ErrorKind.Unauthenticated],
  SessionRevoked: ['AUTH_SESSION_REVOKED', ErrorKind.Unauthenticated],
  Forbidden: ['AUTH_FORBIDDEN', ErrorKind.Forbidden],
  TooManyAttempts: ['AUTH_TOO_MANY_ATTEMPTS', ErrorKind.RateLimited],
  CurrentPasswordWrong: ['AUTH_CURRENT_PASSWORD_WRONG', ErrorKind.Unprocessable],
  PasswordTooWeak: ['PASSWORD_TOO_WEAK', ErrorKind.InvalidInput],
  TokenInvalidOrUsed: ['AUTH_TOKEN_INVALID_OR_USED', ErrorKind.InvalidInput],
  EmailNotVerified: ['EMAIL_NOT_VERIFIED', ErrorKind.Forbidden],
}) {}

export const AuthErrorCode = AuthError.codes;
export type AuthErrorCode = ErrorCodeOf<typeof AuthErrorCode>;
