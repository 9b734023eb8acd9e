import { createCache, type Cache } from 'cache-manager';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { RedisConfig } from '../config/redis.config';
import type { MetricsService } from '../metrics/metrics.service';
import type { ReplicaCatchUp } from '../database/replica-catch-up';
import type { RedisClient } from '../redis/redis-client';
import { CacheAside } from './cache-aside.service';
import { CacheEvictionChannel } from './cache-eviction-channel';

/**
 * CacheAside's own logic on cache-manager's in-memory store (no Redis): hit and miss,
 * loader errors, fail-open on a slow or failing cache, single flight, and
 * invalidation racing a load. Against a real Redis: test/component/cache/.
 */
const COMMAND_TIMEOUT_MS = 30;

const config: RedisConfig = {
  url: undefined,
  defaultTtlMs: 60_000,
  commandTimeoutMs: COMMAND_TIMEOUT_MS,
  memoryMaxEntries: 100,
  keyPrefix: 'unit',
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setUp(redis: Pick<RedisClient, 'isReady'> | null = null) {
  const store: Cache = createCache();
  const logger = { warn: jest.fn(), error: jest.fn() };
  // The one counter CacheAside records to; MetricsService would also start the process's
  // default collectors (event-loop monitor, GC observer) in every test.
  const metrics = {
    cacheRequests: new Counter({
      name: 'cache_requests_total',
      help: 'lookups',
      labelNames: ['cache', 'result'],
      registers: [],
    }),
  };
  const evictions = new CacheEvictionChannel(null, config, logger as unknown as Logger);
  const cache = new CacheAside(
    store,
    config,
    logger as unknown as Logger,
    metrics as unknown as MetricsService,
    redis as RedisClient | null,
    evictions,
    // No read replicas: nothing ever waits for one.
    { after: () => undefined } as unknown as ReplicaCatchUp,
  );
  const lookups = async (result: 'hit' | 'miss' | 'error') =>
    (await metrics.cacheRequests.get()).values.find((value) => value.labels.result === result)?.value ?? 0;
  return { cache, store, logger, lookups };
}

describe('CacheAside (in-memory store, no Redis)', () => {
  it('loads on a miss, then serves the stored value without calling the loader', async () => {
    const { cache, lookups } = setUp();
    const loader = jest.fn(() => Promise.resolve({ price: 10 }));

    expect(await cache.getOrLoad('product:1', loader)).toEqual({ value: { price: 10 }, hit: false });
    expect(await cache.getOrLoad('product:1', loader)).toEqual({ value: { price: 10 }, hit: true });
    expect(loader).toHaveBeenCalledTimes(1);
    expect(await lookups('miss')).toBe(1);
    expect(await lookups('hit')).toBe(1);
  });

  it('passes a loader error to the caller, caches nothing and lets the next call load again', async () => {
    const { cache } = setUp();
    const failure = new Error('database down');

    await expect(cache.getOrLoad('product:2', () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await cache.getOrLoad('product:2', () => Promise.resolve('loaded'))).toEqual({
      value: 'loaded',
      hit: false,
    });
  });

  it('runs the loader once for concurrent misses on one key (single flight)', async () => {
    const { cache } = setUp();
    const load = deferred<string>();
    const loader = jest.fn(() => load.promise);

    const first = cache.getOrLoad('product:3', loader);
    const second = cache.getOrLoad('product:3', loader);
    await new Promise((resolve) => setImmediate(resolve));
    load.resolve('once');

    expect(await Promise.all([first, second])).toEqual([
      { value: 'once', hit: false },
      { value: 'once', hit: false },
    ]);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('shares a failed load with the callers waiting on it, then forgets it', async () => {
    const { cache } = setUp();
    const load = deferred<string>();
    const first = cache.getOrLoad('product:4', () => load.promise);
    const second = cache.getOrLoad('product:4', () => Promise.resolve('not called'));
    await new Promise((resolve) => setImmediate(resolve));
    load.reject(new Error('boom'));

    await expect(first).rejects.toThrow('boom');
    await expect(second).rejects.toThrow('boom');
    expect(await cache.getOrLoad('product:4', () => Promise.resolve('fresh'))).toEqual({ value: 'fresh', hit: false });
  });

  describe('fail open', () => {
    it('serves from the loader when a cache read hangs past the command timeout', async () => {
      const { cache, store, logger, lookups } = setUp();
      jest.spyOn(store, 'mget').mockReturnValue(new Promise(() => undefined));

      const started = Date.now();
      expect(await cache.getOrLoad('product:5', () => Promise.resolve('from-db'))).toEqual({
        value: 'from-db',
        hit: false,
      });
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
      expect(await lookups('error')).toBe(1);
      expect(logger.warn).toHaveBeenCalledWith(expect.anything(), 'cache read failed; serving without cache');
    });

    it('serves from the loader when a cache read fails', async () => {
      const { cache, store } = setUp();
      jest.spyOn(store, 'mget').mockRejectedValue(new Error('connection reset'));

      expect(await cache.getOrLoad('product:6', () => Promise.resolve('from-db'))).toEqual({
        value: 'from-db',
        hit: false,
      });
    });

    it('still answers when storing the loaded value fails', async () => {
      const { cache, store } = setUp();
      jest.spyOn(store, 'set').mockRejectedValue(new Error('out of memory'));

      expect(await cache.getOrLoad('product:7', () => Promise.resolve('from-db'))).toEqual({
        value: 'from-db',
        hit: false,
      });
    });

    it('skips the cache at once while the Redis client is reconnecting', async () => {
      const { cache, store } = setUp({ isReady: false });
      const mget = jest.spyOn(store, 'mget');

      expect(await cache.getOrLoad('product:8', () => Promise.resolve('from-db'))).toEqual({
        value: 'from-db',
        hit: false,
      });
      expect(mget).not.toHaveBeenCalled();
    });

    it('logs a failing cache once per interval, not once per request', async () => {
      const { cache, store, logger } = setUp();
      jest.spyOn(store, 'mget').mockRejectedValue(new Error('down'));

      for (let call = 0; call < 5; call++) {
        await cache.getOrLoad(`product:9:${call}`, () => Promise.resolve(call));
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
    });
  });

  describe('invalidation', () => {
    it('by key: the next read loads again', async () => {
      const { cache } = setUp();
      await cache.getOrLoad('product:10', () => Promise.resolve('old'));

      await cache.invalidate('product:10');

      expect(await cache.getOrLoad('product:10', () => Promise.resolve('new'))).toEqual({ value: 'new', hit: false });
    });

    it('concurrent invalidations share a run only for the same list of keys (a key may hold a comma)', async () => {
      const { cache } = setUp();
      await cache.getOrLoad('a,b', () => Promise.resolve('old'));

      // The second waits for the first and queues a run; the third must not join it.
      await Promise.all([cache.invalidate('a', 'b'), cache.invalidate('a', 'b'), cache.invalidate('a,b')]);

      expect(await cache.getOrLoad('a,b', () => Promise.resolve('new'))).toEqual({ value: 'new', hit: false });
    });

    it('by tag: every entry carrying the tag loads again, others stay', async () => {
      const { cache } = setUp();
      await cache.getOrLoad('list:a', () => Promise.resolve('a'), { tags: ['products:list'] });
      await cache.getOrLoad('list:b', () => Promise.resolve('b'), { tags: ['products:list'] });
      await cache.getOrLoad('other', () => Promise.resolve('o'), { tags: ['users'] });

      await cache.invalidateTags('products:list');

      expect((await cache.getOrLoad('list:a', () => Promise.resolve('a2'), { tags: ['products:list'] })).value).toBe(
        'a2',
      );
      expect((await cache.getOrLoad('list:b', () => Promise.resolve('b2'), { tags: ['products:list'] })).value).toBe(
        'b2',
      );
      expect(await cache.getOrLoad('other', () => Promise.resolve('o2'), { tags: ['users'] })).toEqual({
        value: 'o',
        hit: true,
      });
    });

    it('during a load: the value that load stores is never served', async () => {
      const { cache } = setUp();
      const load = deferred<string>();
      const loading = cache.getOrLoad('product:11', () => load.promise);
      await new Promise((resolve) => setImmediate(resolve));

      await cache.invalidate('product:11');
      load.resolve('read before the write');
      expect((await loading).value).toBe('read before the write');

      expect(await cache.getOrLoad('product:11', () => Promise.resolve('after the write'))).toEqual({
        value: 'after the write',
        hit: false,
      });
    });
  });

  describe('the process-local layer (localTtlMs)', () => {
    it('serves a hot key from memory without a cache round trip, until it is invalidated', async () => {
      const { cache, store } = setUp();
      await cache.getOrLoad('product:12', () => Promise.resolve('v1'), { localTtlMs: 5_000 });
      const mget = jest.spyOn(store, 'mget');

      expect(await cache.getOrLoad('product:12', () => Promise.resolve('unused'), { localTtlMs: 5_000 })).toEqual({
        value: 'v1',
        hit: true,
      });
      expect(mget).not.toHaveBeenCalled();

      await cache.invalidate('product:12');
      expect(await cache.getOrLoad('product:12', () => Promise.resolve('v2'), { localTtlMs: 5_000 })).toEqual({
        value: 'v2',
        hit: false,
      });
    });
  });
});
