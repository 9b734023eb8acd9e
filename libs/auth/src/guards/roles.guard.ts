import { AuthenticatedUser, ROLES_KEY } from '@app/platform';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError, AuthErrorCode } from '../auth.errors';

/** Global, after the JWT guard: enforces @Roles(...) where present. */
@Injectable()
export class RolesGuard implements CanActivate {
  /** @Roles(...) per handler, read once: metadata does not change after start. */
  private readonly rolesByHandler = new WeakMap<object, readonly string[]>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let roles = this.rolesByHandler.get(handler);
    if (roles === undefined) {
      roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [handler, context.getClass()]) ?? [];
      this.rolesByHandler.set(handler, roles);
    }
    if (roles.length === 0) {
      return true;
    }
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (user && roles.some((role) => user.roles.includes(role))) {
      return true;
    }
    throw new AuthError(AuthErrorCode.Forbidden, 'Your role does not allow this operation.');
  }
}
