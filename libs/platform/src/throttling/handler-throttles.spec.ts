import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, Throttle, ThrottlerOptions } from '@nestjs/throttler';
import { resolveHandlerThrottles } from './handler-throttles';

const throttlers: ThrottlerOptions[] = [
  { name: 'default', ttl: 60_000, limit: 600 },
  { name: 'strict', ttl: 60_000, limit: 10, skipIf: (context) => context.getHandler().name !== 'strictRoute' },
];

@Throttle({ default: { limit: 50, ttl: 30_000 } })
class ShopController {
  plainRoute(): void {}

  @Throttle({ default: { limit: 5, ttl: 1_000, blockDuration: 9_000 } })
  tightRoute(): void {}

  strictRoute(): void {}

  @SkipThrottle()
  probeRoute(): void {}
}

function contextFor(handler: keyof ShopController): ExecutionContext {
  return {
    getHandler: () => ShopController.prototype[handler],
    getClass: () => ShopController,
  } as unknown as ExecutionContext;
}

// Applies the package's own decorators: the metadata keys handler-throttles.ts repeats
// must be the ones @Throttle() and @SkipThrottle() write.
describe('resolveHandlerThrottles', () => {
  const resolve = (handler: keyof ShopController) =>
    resolveHandlerThrottles(new Reflector(), throttlers, contextFor(handler));

  it("reads @Throttle on the class, overridden by the handler's", () => {
    expect(resolve('plainRoute')).toEqual([
      expect.objectContaining({
        limit: 50,
        ttl: 30_000,
        blockDuration: 30_000,
        keyPrefix: 'ShopController-plainRoute-default-',
      }),
    ]);
    expect(resolve('tightRoute')).toEqual([expect.objectContaining({ limit: 5, ttl: 1_000, blockDuration: 9_000 })]);
  });

  it("adds a named throttler where its skipIf lets it, and drops @SkipThrottle's", () => {
    expect(resolve('strictRoute').map((throttle) => [throttle.throttler.name, throttle.limit])).toEqual([
      ['default', 50],
      ['strict', 10],
    ]);
    expect(resolve('probeRoute')).toEqual([]);
  });
});
