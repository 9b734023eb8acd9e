import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { rateLimitConfig } from './rate-limit.config';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Provides the throttler's storage (and the general limit's setting) to ThrottlerModule.forRootAsync. */
@Module({
  imports: [ConfigModule.forFeature(rateLimitConfig)],
  providers: [RedisThrottlerStorage],
  exports: [RedisThrottlerStorage, ConfigModule],
})
export class ThrottlerStorageModule {}
