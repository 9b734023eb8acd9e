import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGetTrackerFunction, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { AuthError, AuthErrorCode } from '../auth.errors';
import { perHandler } from '../guards/per-handler';
import { HandlerThrottles, resolveHandlerThrottles } from './handler-throttles';

/**
 * The throttler, answering with a problem+json 429 and a standard Retry-After header.
 *
 * It keeps @nestjs/throttler's decorators, options and storage, but resolves each
 * handler's limits once (the library reads six metadata keys per throttler per request,
 * and hashes every key with SHA-256): the per-request work is the tracker, a string
 * key and the storage's count.
 */
@Injectable()
export class ProblemThrottlerGuard extends ThrottlerGuard {
  private readonly planFor = perHandler((context): HandlerThrottles => resolveHandlerThrottles(this.reflector, this.throttlers, context));

  /** Whether any throttler counts this handler's requests (none for @SkipThrottle()). */
  appliesTo(context: ExecutionContext): boolean {
    return this.planFor(context).length > 0;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    for (const throttle of this.planFor(context)) {
      await this.handleRequest({
        context,
        limit: throttle.limit,
        ttl: throttle.ttl,
        blockDuration: throttle.blockDuration,
        throttler: throttle.throttler,
        getTracker: throttle.getTracker ?? (this.commonOptions.getTracker as ThrottlerGetTrackerFunction),
        generateKey: (_context, tracker) => `${throttle.keyPrefix}${tracker}`,
      });
    }
    return true;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new AuthError(AuthErrorCode.RateLimited, 'Too many requests; slow down.', detail.timeToBlockExpire);
  }
}
