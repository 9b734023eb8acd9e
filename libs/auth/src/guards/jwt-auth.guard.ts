import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AuthError, AuthErrorCode } from '../auth.errors';

/**
 * The bearer-token check (passport-jwt). RequestAccessGuard runs it on every route not
 * marked @Public(); which routes those are is decided there, once per handler.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  /** Passport's own 401 is plain text; ours is a problem with a code the client can act on. */
  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error instanceof AuthError) {
      throw error;
    }
    if (user) {
      return user;
    }
    const name = (info as { name?: string } | undefined)?.name;
    if (name === 'TokenExpiredError') {
      throw new AuthError(AuthErrorCode.TokenExpired, 'The access token has expired; refresh it.');
    }
    if (info instanceof Error && info.message === 'No auth token') {
      throw new AuthError(AuthErrorCode.Unauthenticated, 'This operation needs a bearer token.');
    }
    throw new AuthError(AuthErrorCode.TokenInvalid, 'The access token is not valid.');
  }
}
