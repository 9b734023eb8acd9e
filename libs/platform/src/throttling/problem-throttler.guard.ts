import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGetTrackerFunction, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PlatformError, PlatformErrorCode } from '../errors/platform-error';
import { perHandler } from '../http/per-handler';
import { clientAddressKey } from './client-address';
import { HandlerThrottle, resolveHandlerThrottles } from './handler-throttles';
import { RedisThrottlerStorage } from './redis-throttler.storage';

interface ThrottlePlan {
  throttles: readonly HandlerThrottle[];
  /** Every throttle is counted in this process with the client address as tracker: no promise needed. */
  countedNow: boolean;
}

/**
 * The throttler, answering with a problem+json 429 (RATE_LIMITED) whose
 * `retryAfterSeconds` the problem filter sends as the standard Retry-After header.
 *
 * It keeps @nestjs/throttler's decorators, options and storage, but resolves each
 * handler's limits once (the library reads six metadata keys per throttler per request,
 * and hashes every key with SHA-256): the per-request work is the tracker, a string
 * key and the storage's count. A route under the general limit alone (every route but
 * those a feature also puts under a named throttler, such as auth's credential routes)
 * is counted synchronously: that limit lives in this process (ReconciledCounter), and
 * the library's path through it costs three awaited promises. The client is its
 * address as clientAddressKey() keys it (an IPv6 client by its /64).
 */
@Injectable()
export class ProblemThrottlerGuard extends ThrottlerGuard {
  private readonly planFor = perHandler((context): ThrottlePlan => {
    const throttles = resolveHandlerThrottles(this.reflector, this.throttlers, context);
    const storage = this.storageService;
    const countedNow =
      storage instanceof RedisThrottlerStorage &&
      throttles.every(
        (throttle) =>
          throttle.getTracker === undefined && storage.countsInProcess(throttle.throttler.name ?? 'default'),
      );
    return { throttles, countedNow };
  });

  /** Whether any throttler counts this handler's requests (none for @SkipThrottle()). */
  appliesTo(context: ExecutionContext): boolean {
    return this.planFor(context).throttles.length > 0;
  }

  /** Counts the request; `true`, or a promise of it where a limit lives in Redis. Throws the 429. */
  check(context: ExecutionContext): boolean | Promise<boolean> {
    const plan = this.planFor(context);
    if (!plan.countedNow) {
      return this.countAll(context, plan.throttles);
    }
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const tracker = clientAddressKey(http.getRequest<FastifyRequest>().ip);
    for (const throttle of plan.throttles) {
      this.countNow(reply, throttle, tracker);
    }
    return true;
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(this.check(context));
  }

  override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(clientAddressKey(String(request.ip)));
  }

  /**
   * The library's handleRequest for an in-process count, without a promise. Only the
   * general (`default`) throttler is counted in-process, so its headers carry no
   * throttler suffix; the 429's Retry-After comes from the error, like every other 429's.
   */
  private countNow(reply: FastifyReply, throttle: HandlerThrottle, tracker: string): void {
    const storage = this.storageService as RedisThrottlerStorage;
    const record = storage.incrementNow(
      `${throttle.keyPrefix}${tracker}`,
      throttle.ttl,
      throttle.limit,
      throttle.blockDuration,
    );
    if (record.isBlocked) {
      throw rateLimited(record.timeToBlockExpire);
    }
    reply.header('x-ratelimit-limit', throttle.limit);
    reply.header('x-ratelimit-remaining', Math.max(0, throttle.limit - record.totalHits));
    reply.header('x-ratelimit-reset', record.timeToExpire);
  }

  private async countAll(context: ExecutionContext, throttles: readonly HandlerThrottle[]): Promise<boolean> {
    for (const throttle of throttles) {
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
    throw rateLimited(detail.timeToBlockExpire);
  }
}

function rateLimited(retryAfterSeconds: number): PlatformError {
  return new PlatformError(PlatformErrorCode.RateLimited, 'Too many requests; slow down.', { retryAfterSeconds });
}
