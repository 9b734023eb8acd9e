import { KeyvCacheableMemory } from '@cacheable/memory';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { redisConfig } from '../config/redis.config';
import { REDIS_CLIENT, RedisClient } from '../redis/redis-client';
import { ResponseCache } from '../http/cached-response/response-cache';
import { CacheAside } from './cache-aside.service';
import { CacheEvictionChannel } from './cache-eviction-channel';

/**
 * @nestjs/cache-manager 12 sits on cache-manager 7, whose stores are Keyv instances:
 * Redis through @keyv/redis (given our own fail-fast client), else an in-memory LRU.
 * (cache-manager-redis-yet targets cache-manager 5 and does not fit.)
 */
@Global()
@Module({
  imports: [
    NestCacheModule.registerAsync({
      isGlobal: true,
      inject: [redisConfig.KEY, REDIS_CLIENT],
      useFactory: (config: ConfigType<typeof redisConfig>, client: RedisClient | null) => {
        const store = client
          ? new Keyv({
              store: new KeyvRedis(client),
              namespace: `${config.keyPrefix}:cache`,
              useKeyPrefix: true,
              // Plain JSON: cached values are JSON-safe by contract (see CacheAside), and
              // Keyv's default serializer (Buffer and BigInt aware) cost ~7 % of a cached
              // GET's CPU time in the profile.
              serialize: JSON.stringify,
              deserialize: JSON.parse,
            })
          : new Keyv({ store: new KeyvCacheableMemory({ lruSize: config.memoryMaxEntries, storeHashSize: 1 }) });
        // `as never`: keyv ships separate CJS and ESM typings that TypeScript sees as two
        // classes; at run time both sides load the same CommonJS build.
        return { stores: [store as never], ttl: config.defaultTtlMs };
      },
    }),
  ],
  providers: [CacheAside, CacheEvictionChannel, ResponseCache],
  // ResponseCache: injected into the controllers of @CachedResponse routes.
  exports: [CacheAside, ResponseCache],
})
export class CacheModule {}
