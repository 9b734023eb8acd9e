import { CacheableMemory } from '@cacheable/memory';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Cache } from 'cache-manager';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { redisConfig } from '../config/redis.config';
import { ReplicaCatchUp } from '../database/replica-catch-up';
import { ROOT_LOGGER } from '../logging/root-logger';
import { MetricsService } from '../metrics/metrics.service';
import { REDIS_CLIENT, RedisClient } from '../redis/redis-client';
import { CacheEviction, CacheEvictionChannel } from './cache-eviction-channel';
import { CoalescedRuns } from './coalesced-runs';
import { LocalLoads } from './local-loads';
import { dataKey, generationKey, isCurrent, StoredEntry, tagKey } from './stored-entry';
import { withTimeout } from './with-timeout';

export interface CacheLoadOptions {
  /** Entry lifetime; the configured default when omitted. */
  ttlMs?: number;
  /** Groups the entry can be invalidated by, e.g. `products:list`. */
  tags?: string[];
  /** Label for the hit/miss metrics. */
  name?: string;
  /**
   * Also keep the value in this process's memory for this long: a second level that
   * saves the Redis round trip on hot keys. An invalidation clears it in every process
   * at once (Redis pub/sub, see CacheEvictionChannel); while this process cannot hear
   * invalidations (its subscriber is disconnected) local copies are not used.
   */
  localTtlMs?: number;
}

export interface CacheResult<T> {
  value: T;
  hit: boolean;
}

/** Generation markers outlive entries; an expired marker only costs one miss. */
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Cache-aside on top of @nestjs/cache-manager, with what the plain API lacks:
 *
 * - single flight: concurrent misses for one key in this process run the loader once;
 * - invalidation by key and by tag that is safe across PM2 workers and against races.
 *   Each key and each tag has a generation marker in the shared cache; an entry records
 *   the generations it was loaded under and is valid only while they are all current.
 *   Invalidation replaces the marker, so a load that started before a write can never
 *   publish a stale value afterwards. Markers and entry are read in one MGET.
 * - fail open: a cache call that errors or exceeds CACHE_COMMAND_TIMEOUT_MS counts as
 *   a miss, and the data comes from the loader (PostgreSQL).
 *
 * Values must be JSON-safe (dates as ISO strings): they round-trip through Redis.
 */
@Injectable()
export class CacheAside {
  private readonly inflight = new Map<string, { promise: Promise<unknown>; tags: string[] }>();
  private readonly invalidations = new CoalescedRuns();
  private readonly local: CacheableMemory;
  /** A load that overlapped an eviction of its key must not be kept locally. */
  private readonly localLoads = new LocalLoads();
  private lastFailureLogAt = 0;
  private unloggedFailures = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    private readonly evictions: CacheEvictionChannel,
    private readonly replicaCatchUp: ReplicaCatchUp,
  ) {
    // Values are served as stored, never mutated by callers: no clone on read. One
    // store, not the default 16 shards: picking a shard hashes the key on every get
    // (profiled at ~3 % of a cached GET), and one Map serves one thread as well.
    this.local = new CacheableMemory({
      lruSize: config.memoryMaxEntries,
      useClone: false,
      checkInterval: 0,
      storeHashSize: 1,
    });
    evictions.onEviction((eviction) => this.evictLocal(eviction));
  }

  /**
   * The entry this process holds in memory for `key` (options with `localTtlMs`), counted
   * as a hit; undefined otherwise, and then getOrLoad() decides. Synchronous, so the
   * hottest callers (CachedResponse) answer a local hit without a promise.
   */
  peekLocal<T>(key: string, options: CacheLoadOptions): CacheResult<T> | undefined {
    if (!options.localTtlMs || !this.evictions.isLive) {
      return undefined;
    }
    const local = this.local.get<{ v: T }>(key);
    if (!local) {
      return undefined;
    }
    this.metrics.cacheRequests.inc({ cache: options.name ?? key.split(':')[0] ?? 'default', result: 'hit' });
    return { value: local.v, hit: true };
  }

  async getOrLoad<T>(key: string, loader: () => Promise<T>, options: CacheLoadOptions = {}): Promise<CacheResult<T>> {
    if (options.localTtlMs && this.evictions.isLive) {
      const local = this.peekLocal<T>(key, options);
      if (local) {
        return local;
      }
      const { result, fresh } = await this.localLoads.track(key, () =>
        this.getOrLoad(key, loader, { ...options, localTtlMs: undefined }),
      );
      if (fresh && this.evictions.isLive) {
        this.local.set(key, { v: result.value }, options.localTtlMs);
      }
      return result;
    }

    // Built only past the local level: a hit in process memory needs no marker keys.
    const tags = options.tags ?? [];
    const name = options.name ?? key.split(':')[0] ?? 'default';
    const markerKeys = [generationKey(key), ...tags.map(tagKey)];
    const read = await this.safely('read', () => this.cache.mget<unknown>([dataKey(key), ...markerKeys]));
    if (read) {
      const [entry, ...generations] = read as [StoredEntry<T> | undefined, ...Array<string | undefined>];
      if (entry && isCurrent(entry, generations)) {
        this.metrics.cacheRequests.inc({ cache: name, result: 'hit' });
        return { value: entry.v, hit: true };
      }
      this.metrics.cacheRequests.inc({ cache: name, result: 'miss' });
      return {
        value: await this.loadOnce(key, tags, () => this.loadAndStore(key, markerKeys, generations, loader, options)),
        hit: false,
      };
    }
    this.metrics.cacheRequests.inc({ cache: name, result: 'error' });
    return { value: await this.loadOnce(key, tags, loader), hit: false };
  }

  /** Makes the entries of these keys invalid everywhere; resolves once that is stored. */
  async invalidate(...keys: string[]): Promise<void> {
    this.evictLocal({ keys });
    // The id names the exact list: a joined string would let ['a,b'] share the run of ['a', 'b'].
    await this.published(JSON.stringify(['keys', keys]), keys.map(generationKey), () => this.evictLocal({ keys }), {
      keys,
    });
  }

  /** Makes every entry carrying one of these tags invalid everywhere. */
  async invalidateTags(...tags: string[]): Promise<void> {
    const dropTagged = () => {
      for (const [key, flight] of this.inflight) {
        if (flight.tags.some((tag) => tags.includes(tag))) {
          this.inflight.delete(key);
        }
      }
      // Local entries do not record their tags; dropping them all is cheap and safe.
      this.evictLocal({ all: true });
    };
    dropTagged();
    await this.published(JSON.stringify(['tags', tags]), tags.map(tagKey), dropTagged, { all: true });
  }

  /**
   * `invalidateTags` for entries loaded by lag-tolerant reads (`db.replica`): now, and again
   * once every replica has replayed this write, so a load that ran on a replica still behind
   * it is not served until its TTL. Without read replicas it is `invalidateTags`.
   */
  async invalidateReplicaReadTags(...tags: string[]): Promise<void> {
    await this.invalidateTags(...tags);
    this.replicaCatchUp.after(() => this.invalidateTags(...tags));
  }

  private evictLocal(eviction: CacheEviction): void {
    this.localLoads.evict(eviction);
    if ('all' in eviction) {
      this.local.clear();
      return;
    }
    for (const key of eviction.keys) {
      this.inflight.delete(key);
      this.local.delete(key);
    }
  }

  /**
   * Replaces the markers, then tells every process. Concurrent invalidations of the same
   * keys share one run that started after each of them was asked (CoalescedRuns): a stream
   * of orders no longer pays a Redis write and a pub/sub round per order for the same key.
   */
  private published(id: string, markerKeys: string[], dropLocal: () => void, eviction: CacheEviction): Promise<void> {
    return this.invalidations.run(id, async () => {
      await this.bump(markerKeys);
      // Again after the bump: a load here that read the old markers meanwhile is not kept.
      dropLocal();
      // After the bump: a process that drops its copy then reads the new generation.
      await this.evictions.publish(eviction);
    });
  }

  private async bump(markerKeys: string[]): Promise<void> {
    if (markerKeys.length === 0) {
      return;
    }
    const generation = uuidv7();
    const stored = await this.safely('invalidate', () =>
      this.cache.mset(markerKeys.map((key) => ({ key, value: generation, ttl: GENERATION_TTL_MS }))),
    );
    if (!stored) {
      // Entries still expire by TTL; this is the bound on staleness while the cache is down.
      this.logger.error({ markerKeys }, 'cache invalidation failed');
    }
  }

  private loadOnce<T>(key: string, tags: string[], load: () => Promise<T>): Promise<T> {
    const existing = this.inflight.get(key);
    if (existing) {
      return existing.promise as Promise<T>;
    }
    const promise = load().finally(() => {
      if (this.inflight.get(key)?.promise === promise) {
        this.inflight.delete(key);
      }
    });
    this.inflight.set(key, { promise, tags });
    return promise;
  }

  private async loadAndStore<T>(
    key: string,
    markerKeys: string[],
    generations: Array<string | undefined>,
    loader: () => Promise<T>,
    options: CacheLoadOptions,
  ): Promise<T> {
    // Markers are fixed before loading: an invalidation during the load changes them,
    // so what this load stores is already stale and will never be served.
    const current = generations.map((generation) => generation ?? uuidv7());
    const missing = markerKeys
      .map((markerKey, index) => ({ key: markerKey, value: current[index], ttl: GENERATION_TTL_MS }))
      .filter((_, index) => generations[index] === undefined);
    if (missing.length > 0) {
      await this.safely('write', () => this.cache.mset(missing));
    }
    const value = await loader();
    const entry: StoredEntry<T> = { v: value, g: current };
    await this.safely('write', () => this.cache.set(dataKey(key), entry, options.ttlMs ?? this.config.defaultTtlMs));
    return value;
  }

  /** Runs a cache call with the configured timeout; undefined when it failed. */
  private async safely<R>(what: string, call: () => Promise<R>): Promise<R | undefined> {
    // While the Redis client is reconnecting, skip the cache at once rather than
    // make every request wait out the command timeout.
    if (this.redis && !this.redis.isReady) {
      this.warnFailure(what, new Error('Redis is not connected'));
      return undefined;
    }
    try {
      return await withTimeout(call(), this.config.commandTimeoutMs, `cache ${what}`);
    } catch (error) {
      this.warnFailure(what, error);
      return undefined;
    }
  }

  /**
   * While Redis is down every request fails its cache calls: one line per
   * FAILURE_LOG_INTERVAL_MS (with how many were not logged) instead of one per request.
   */
  private warnFailure(what: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureLogAt < FAILURE_LOG_INTERVAL_MS) {
      this.unloggedFailures++;
      return;
    }
    this.logger.warn(
      { err: error, unloggedFailures: this.unloggedFailures },
      `cache ${what} failed; serving without cache`,
    );
    this.lastFailureLogAt = now;
    this.unloggedFailures = 0;
  }
}
