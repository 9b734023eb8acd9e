import { AuthenticatedUser, perHandler, ROLES_KEY } from '@app/platform';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthError, AuthErrorCode } from '../auth.errors';

/** After the bearer-token check (RequestAccessGuard runs it): enforces @Roles(...) where present. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly rolesOf = perHandler(
    (context) =>
      this.reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]) ??
      [],
  );

  constructor(private readonly reflector: Reflector) {}

  /** Whether the handler names any role (@Roles). */
  appliesTo(context: ExecutionContext): boolean {
    return this.rolesOf(context).length > 0;
  }

  canActivate(context: ExecutionContext): boolean {
    const roles = this.rolesOf(context);
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
