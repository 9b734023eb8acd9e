import { AuthenticatedUser, perHandler, VERIFIED_EMAIL_REQUIRED } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { authConfig } from '../auth.config';
import { AuthError, AuthErrorCode } from '../auth.errors';

/**
 * After the bearer-token check: with EMAIL_VERIFICATION_REQUIRED=true, a route marked
 * @VerifiedEmailRoute() refuses a user whose email is not verified (403
 * EMAIL_NOT_VERIFIED). Whether it applies is decided once per handler; the flag comes
 * with the user the token check already loaded, so the check costs a property read.
 */
@Injectable()
export class VerifiedEmailGuard {
  private readonly required = perHandler(
    (context) =>
      this.config.emailVerificationRequired &&
      this.reflector.getAllAndOverride<boolean>(VERIFIED_EMAIL_REQUIRED, [context.getHandler(), context.getClass()]) ===
        true,
  );

  constructor(
    private readonly reflector: Reflector,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  appliesTo(context: ExecutionContext): boolean {
    return this.required(context);
  }

  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>().user;
    if (!this.required(context) || user?.emailVerified === true) {
      return true;
    }
    throw new AuthError(
      AuthErrorCode.EmailNotVerified,
      'Verify your email address first: follow the link we sent (POST /v1/auth/verify-email/resend sends a new one).',
    );
  }
}
