import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../auth.config';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Provides the throttler's storage to ThrottlerModule.forRootAsync. */
@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  providers: [RedisThrottlerStorage],
  exports: [RedisThrottlerStorage, ConfigModule],
})
export class ThrottlerStorageModule {}
