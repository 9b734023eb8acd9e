import { REDIS_CLIENT, RedisClient, redisConfig, withTimeout } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

/**
 * One atomic round trip: count the hit, start the window on the first one, and
 * block the key for `blockDuration` once the limit is passed.
 */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}
`;

/**
 * Throttler counts in Redis, so a limit holds across every PM2 worker. No library
 * fits here: the maintained Redis storages use ioredis, and this app shares one
 * fail-fast node-redis client. When Redis is absent or failing, counting falls back
 * to this process's memory (fail open to a per-process limit, never to an error).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly memory = new ThrottlerStorageService();

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (this.redis?.isReady) {
      try {
        const base = `${this.config.keyPrefix}:throttle:${throttlerName}:${key}`;
        const reply = (await withTimeout(
          this.redis.eval(INCREMENT_SCRIPT, { keys: [base, `${base}:blocked`], arguments: [String(ttl), String(limit), String(blockDuration)] }),
          this.config.commandTimeoutMs,
          'throttler increment',
        )) as [number, number, number];
        const [hits, ttlMs, blockedMs] = reply;
        const isBlocked = blockedMs > 0 && hits > limit;
        return {
          totalHits: hits,
          timeToExpire: Math.ceil(Math.max(ttlMs, 0) / 1000),
          isBlocked,
          timeToBlockExpire: isBlocked ? Math.ceil(blockedMs / 1000) : 0,
        };
      } catch {
        // Fall through to the per-process count.
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
  }
}
