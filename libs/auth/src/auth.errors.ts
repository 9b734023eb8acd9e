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
  // Two-factor (mfa/): a wrong, replayed or expired code or mfaToken at login is 401;
  // on the signed-in routes (enable, disable) the same code is a 400, see MfaCodeRefused.
  MfaCodeInvalid: ['AUTH_MFA_CODE_INVALID', ErrorKind.Unauthenticated],
  MfaAlreadyEnabled: ['AUTH_MFA_ALREADY_ENABLED', ErrorKind.Conflict],
  MfaNotEnabled: ['AUTH_MFA_NOT_ENABLED', ErrorKind.Conflict],
  MfaSetupRequired: ['AUTH_MFA_SETUP_REQUIRED', ErrorKind.Conflict],
}) {}

/**
 * AUTH_MFA_CODE_INVALID on a route the caller is signed in to (enable, disable): a 400,
 * because a 401 there would tell the client its access token is bad (API.md). The code
 * is still AuthError's; only its kind differs.
 */
export class MfaCodeRefused extends AuthError {
  override readonly kind = ErrorKind.InvalidInput;

  constructor(message: string) {
    super(AuthError.codes.MfaCodeInvalid, message);
  }
}

export const AuthErrorCode = AuthError.codes;
export type AuthErrorCode = ErrorCodeOf<typeof AuthErrorCode>;
