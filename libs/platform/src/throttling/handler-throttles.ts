import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { ThrottlerGetTrackerFunction, ThrottlerOptions } from '@nestjs/throttler';

/**
 * The metadata keys @Throttle() and @SkipThrottle() write (each followed by the
 * throttler's name). @nestjs/throttler does not export them from its root, only from
 * its dist/ internals, so they are repeated here; handler-throttles.spec.ts applies the
 * real decorators and fails if the package ever changes them.
 */
const THROTTLER_SKIP = 'THROTTLER:SKIP';
const THROTTLER_LIMIT = 'THROTTLER:LIMIT';
const THROTTLER_TTL = 'THROTTLER:TTL';
const THROTTLER_BLOCK_DURATION = 'THROTTLER:BLOCK_DURATION';
const THROTTLER_TRACKER = 'THROTTLER:TRACKER';

/** One throttler as it applies to one handler, resolved from its decorators once. */
export interface HandlerThrottle {
  throttler: ThrottlerOptions;
  limit: number;
  ttl: number;
  blockDuration: number;
  getTracker?: ThrottlerGetTrackerFunction;
  /** `Class-handler-throttler-`: the storage key is this plus the client's tracker. */
  keyPrefix: string;
}

/**
 * Reads what @SkipThrottle/@Throttle say for this handler (the handler's metadata
 * overriding its class's, as in @nestjs/throttler) and drops skipped throttlers,
 * those a throttler's `skipIf` skips included: here `skipIf` may depend only on the
 * handler, never on the request (auth's throttler reads the handler's
 * @AuthRateLimited()), since it is asked once per handler. Limits must be numbers for
 * the same reason: a function is refused at the first request of that route.
 */
export function resolveHandlerThrottles(
  reflector: Reflector,
  throttlers: ThrottlerOptions[],
  context: ExecutionContext,
): readonly HandlerThrottle[] {
  const targets = [context.getHandler(), context.getClass()];
  const read = <T>(key: string, name: string): T | undefined => reflector.getAllAndOverride<T>(key + name, targets);
  const plan: HandlerThrottle[] = [];
  for (const throttler of throttlers) {
    const name = throttler.name ?? 'default';
    if (read<boolean>(THROTTLER_SKIP, name) || throttler.skipIf?.(context)) {
      continue;
    }
    const ttl = staticNumber(read(THROTTLER_TTL, name) ?? throttler.ttl, 'ttl', name);
    plan.push({
      throttler,
      limit: staticNumber(read(THROTTLER_LIMIT, name) ?? throttler.limit, 'limit', name),
      ttl,
      blockDuration: staticNumber(
        read(THROTTLER_BLOCK_DURATION, name) ?? throttler.blockDuration ?? ttl,
        'blockDuration',
        name,
      ),
      getTracker: read<ThrottlerGetTrackerFunction>(THROTTLER_TRACKER, name) ?? throttler.getTracker,
      keyPrefix: `${context.getClass().name}-${context.getHandler().name}-${name}-`,
    });
  }
  return plan;
}

function staticNumber(value: unknown, what: string, throttler: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`throttler "${throttler}": ${what} must be a number (per-request values are not supported)`);
  }
  return value;
}
