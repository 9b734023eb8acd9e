import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { withTimeout } from '../cache/with-timeout';
import { redisConfig } from '../config/redis.config';
import { REDIS_CLIENT, RedisClient } from '../redis/redis-client';
import { ReconciledCounter, SharedWindowStore, ThrottleRecord } from './reconciled-counter';

/**
 * One atomic round trip: count the hit, start the window on the first one, and
 * block the key for `blockDuration` once the limit is passed.
 */
const INCREMENT_SCRIPT = `
local added = tonumber(ARGV[4] or '1')
local hits = redis.call('INCRBY', KEYS[1], added)
if hits == added then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}
`;

/** The throttler counted in each process and reconciled with Redis (see ReconciledCounter). */
export const RECONCILED_THROTTLER = 'default';

/**
 * Throttler counts in Redis, so a limit holds across every PM2 worker. No library
 * fits here: the maintained Redis storages use ioredis, and this app shares one
 * fail-fast node-redis client. The other limits (auth's) are exact: one Redis call per request.
 * The general limit (`default`) is counted in this process and reconciled with Redis
 * every second (ReconciledCounter), which the contract allows: no Redis call on a
 * request. When Redis is absent or failing, counting falls back to this process's
 * memory (fail open to a per-process limit, never to an error).
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, SharedWindowStore {
  private readonly memory = new ThrottlerStorageService();
  private readonly reconciled: ReconciledCounter;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
  ) {
    this.reconciled = new ReconciledCounter(redis ? this : null);
  }

  /** Whether this throttler's hits are counted in this process, so `incrementNow` answers for them. */
  countsInProcess(throttlerName: string): boolean {
    return throttlerName === RECONCILED_THROTTLER;
  }

  /** The in-process count of a `countsInProcess` throttler, without a promise (the hot path of every request). */
  incrementNow(key: string, ttl: number, limit: number, blockDuration: number): ThrottleRecord {
    return this.reconciled.increment(key, ttl, limit, blockDuration);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottleRecord> {
    if (this.countsInProcess(throttlerName)) {
      return this.incrementNow(key, ttl, limit, blockDuration);
    }
    if (this.redis?.isReady) {
      try {
        const [hits, ttlMs, blockedMs] = await this.evalWindow(throttlerName, key, 1, ttl, limit, blockDuration);
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

  /** ReconciledCounter's shared store: every key's hits in one pipelined round trip. */
  async addHits(batch: ReadonlyArray<{ key: string; hits: number; ttlMs: number; limit: number; blockMs: number }>) {
    if (!this.redis?.isReady) {
      throw new Error('Redis is not connected');
    }
    const replies = await Promise.all(
      batch.map(({ key, hits, ttlMs, limit, blockMs }) =>
        this.evalWindow(RECONCILED_THROTTLER, key, hits, ttlMs, limit, blockMs),
      ),
    );
    return replies.map(([total, ttlMs, blockedMs]) => ({ total, ttlMs, blockedMs }));
  }

  private async evalWindow(
    throttlerName: string,
    key: string,
    hits: number,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<[number, number, number]> {
    const base = `${this.config.keyPrefix}:throttle:${throttlerName}:${key}`;
    const redis = this.redis as RedisClient;
    return (await withTimeout(
      redis.eval(INCREMENT_SCRIPT, {
        keys: [base, `${base}:blocked`],
        arguments: [String(ttl), String(limit), String(blockDuration), String(hits)],
      }),
      this.config.commandTimeoutMs,
      'throttler increment',
    )) as [number, number, number];
  }

  onApplicationShutdown(): void {
    this.reconciled.stop();
    this.memory.onApplicationShutdown();
  }
}
