import { SetMetadata } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';

const AUTH_RATE_LIMITED = 'auth-rate-limited';

/**
 * Puts a credential endpoint (login, register, refresh, password change) under the
 * stricter per-IP `auth` throttler (THROTTLE_AUTH_PER_MINUTE) besides the default one.
 */
export const AuthRateLimited = (): MethodDecorator => SetMetadata(AUTH_RATE_LIMITED, true);

/** The `auth` throttler skips every route not marked @AuthRateLimited() (asked once per handler). */
export function isNotAuthRateLimited(context: ExecutionContext): boolean {
  return Reflect.getMetadata(AUTH_RATE_LIMITED, context.getHandler()) !== true;
}
