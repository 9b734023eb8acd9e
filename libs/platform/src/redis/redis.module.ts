import { Global, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { redisConfig } from '../config/redis.config';
import { ROOT_LOGGER } from '../logging/root-logger';
import { connectRedis, REDIS_CLIENT, RedisClient } from './redis-client';

/** Provides the shared Redis client, or null when REDIS_URL is not set. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY, ROOT_LOGGER],
      useFactory: (config: ConfigType<typeof redisConfig>, logger: Logger): Promise<RedisClient | null> | null =>
        config.url ? connectRedis(config.url, logger) : null,
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(REDIS_CLIENT) private readonly client: RedisClient | null) {}

  /** Closed after the HTTP server has drained (shutdown hooks run last). */
  async onApplicationShutdown(): Promise<void> {
    // Not open: already closed by its other user (the cache store's disconnect on
    // shutdown); destroying a closed client would throw.
    if (this.client?.isOpen) {
      await this.client.close().catch(() => {
        if (this.client?.isOpen) {
          this.client.destroy();
        }
      });
    }
  }
}
