import { IS_PUBLIC_KEY } from '@app/platform';
import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuthError, AuthErrorCode } from '../auth.errors';

/** Global: every route needs a valid bearer token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  /** @Public() per handler, read once: metadata does not change after start. */
  private readonly publicHandlers = new WeakMap<object, boolean>();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const handler = context.getHandler();
    let isPublic = this.publicHandlers.get(handler);
    if (isPublic === undefined) {
      isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, context.getClass()]) === true;
      this.publicHandlers.set(handler, isPublic);
    }
    return isPublic ? true : super.canActivate(context);
  }

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
