import { DynamicModule, FactoryProvider, Module, ModuleMetadata } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ThrottlerModule, ThrottlerOptions } from '@nestjs/throttler';
import { ProblemThrottlerGuard } from './problem-throttler.guard';
import { rateLimitConfig } from './rate-limit.config';
import { RECONCILED_THROTTLER, RedisThrottlerStorage } from './redis-throttler.storage';
import { ThrottlerStorageModule } from './throttler-storage.module';

/** Named throttlers a feature adds to the general one, built from what it injects (its config). */
export interface FeatureThrottlers {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  throttlers: (...injected: never[]) => ThrottlerOptions[];
}

/**
 * Rate limiting for the HTTP app: @nestjs/throttler registered once with the Redis
 * storage, the general per-client limit on every route (THROTTLE_DEFAULT_PER_MINUTE)
 * and any stricter named throttlers a feature adds (auth's, on its credential
 * routes), and the guard that counts and answers 429 RATE_LIMITED. The guard is not
 * global by itself: the app's one global guard (auth's RequestAccessGuard) calls it.
 * Imported once, by that guard's module; ThrottlerModule is global, so @Throttle and
 * @SkipThrottle work on any controller.
 */
@Module({})
export class RateLimitModule {
  static forRoot(feature?: FeatureThrottlers): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          imports: [ThrottlerStorageModule, ...(feature?.imports ?? [])],
          inject: [rateLimitConfig.KEY, RedisThrottlerStorage, ...(feature?.inject ?? [])],
          useFactory: (
            config: ConfigType<typeof rateLimitConfig>,
            storage: RedisThrottlerStorage,
            ...injected: unknown[]
          ) => ({
            throttlers: [
              { name: RECONCILED_THROTTLER, ttl: 60_000, limit: config.generalPerMinute },
              // Nest injects what the feature asked for, in its order: typed by the feature's own factory.
              ...(feature?.throttlers(...(injected as never[])) ?? []),
            ],
            storage,
          }),
        }),
      ],
      providers: [ProblemThrottlerGuard],
      exports: [ProblemThrottlerGuard],
    };
  }
}
