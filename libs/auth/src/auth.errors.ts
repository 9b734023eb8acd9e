import { DomainError, ErrorKind, FieldError } from '@app/platform';

export enum AuthErrorCode {
  InvalidCredentials = 'AUTH_INVALID_CREDENTIALS',
  Unauthenticated = 'AUTH_UNAUTHENTICATED',
  TokenInvalid = 'AUTH_TOKEN_INVALID',
  TokenExpired = 'AUTH_TOKEN_EXPIRED',
  RefreshInvalid = 'AUTH_REFRESH_INVALID',
  RefreshReused = 'AUTH_REFRESH_REUSED',
  SessionRevoked = 'AUTH_SESSION_REVOKED',
  Forbidden = 'AUTH_FORBIDDEN',
  TooManyAttempts = 'AUTH_TOO_MANY_ATTEMPTS',
  RateLimited = 'RATE_LIMITED',
  EmailTaken = 'USER_EMAIL_TAKEN',
  CurrentPasswordWrong = 'AUTH_CURRENT_PASSWORD_WRONG',
  PasswordTooWeak = 'PASSWORD_TOO_WEAK',
}

export class AuthError extends DomainError {
  declare readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, message: string, retryAfterSeconds?: number, errors?: FieldError[]) {
    super(code, authErrorKind(code), message, errors);
    if (retryAfterSeconds !== undefined) {
      this.headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
    }
  }
}

function authErrorKind(code: AuthErrorCode): ErrorKind {
  switch (code) {
    case AuthErrorCode.InvalidCredentials:
    case AuthErrorCode.Unauthenticated:
    case AuthErrorCode.TokenInvalid:
    case AuthErrorCode.TokenExpired:
    case AuthErrorCode.RefreshInvalid:
    case AuthErrorCode.RefreshReused:
    case AuthErrorCode.SessionRevoked:
      return ErrorKind.Unauthenticated;
    case AuthErrorCode.Forbidden:
      return ErrorKind.Forbidden;
    case AuthErrorCode.TooManyAttempts:
    case AuthErrorCode.RateLimited:
      return ErrorKind.RateLimited;
    case AuthErrorCode.EmailTaken:
      return ErrorKind.Conflict;
    case AuthErrorCode.CurrentPasswordWrong:
      return ErrorKind.Unprocessable;
    case AuthErrorCode.PasswordTooWeak:
      return ErrorKind.InvalidInput;
  }
}
