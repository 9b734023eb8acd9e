import { CacheAside } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createPlatformContext } from '../../support/platform-context';
import { TcpProxy } from '../../support/tcp-proxy';
import { describeWithRedis } from '../../support/requires';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs against Redis when REDIS_URL is set (as in CI), and always against the memory store. */
const stores: Array<[string, Record<string, string | undefined>]> = [['memory', { REDIS_URL: undefined }]];
if (process.env.REDIS_URL) {
  stores.unshift(['redis', { REDIS_URL: process.env.REDIS_URL }]);
}

describe.each(stores)('CacheAside on the %s store', (_name, env) => {
  let context: INestApplicationContext;
  let cache: CacheAside;

  beforeAll(async () => {
    context = await createPlatformContext(env);
    cache = context.get(CacheAside);
  });

  afterAll(async () => {
    await context.close();
  });

  it('loads on a miss, then serves the hit without calling the loader', async () => {
    const key = `test:${randomUUID()}`;
    const loader = jest.fn(() => Promise.resolve({ price: 100 }));
    expect(await cache.getOrLoad(key, loader)).toEqual({ value: { price: 100 }, hit: false });
    expect(await cache.getOrLoad(key, loader)).toEqual({ value: { price: 100 }, hit: true });
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('runs the loader once for a hundred concurrent misses of one key', async () => {
    const key = `test:${randomUUID()}`;
    let calls = 0;
    const loader = async () => {
      calls++;
      await sleep(50);
      return 'value';
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.getOrLoad(key, loader)));
    expect(calls).toBe(1);
    expect(results.every((result) => result.value === 'value')).toBe(true);
  });

  it('invalidates by key at once', async () => {
    const key = `test:${randomUUID()}`;
    await cache.getOrLoad(key, () => Promise.resolve('old'));
    await cache.invalidate(key);
    expect(await cache.getOrLoad(key, () => Promise.resolve('new'))).toEqual({ value: 'new', hit: false });
    expect((await cache.getOrLoad(key, () => Promise.resolve('newer'))).value).toBe('new');
  });

  it('with localTtlMs keeps a process-local copy: no shared-cache read until it expires, cleared by an invalidation here', async () => {
    const key = `test:${randomUUID()}`;
    const loader = jest.fn(() => Promise.resolve('v1'));
    expect(await cache.getOrLoad(key, loader, { localTtlMs: 300 })).toEqual({ value: 'v1', hit: false });
    expect(await cache.getOrLoad(key, () => Promise.resolve('never'), { localTtlMs: 300 })).toEqual({
      value: 'v1',
      hit: true,
    });
    expect(loader).toHaveBeenCalledTimes(1);
    await cache.invalidate(key);
    expect(await cache.getOrLoad(key, () => Promise.resolve('v2'), { localTtlMs: 300 })).toEqual({
      value: 'v2',
      hit: false,
    });
    await sleep(350);
    // Expired locally: the shared cache answers again (a hit there, not a reload).
    expect(await cache.getOrLoad(key, () => Promise.resolve('v3'), { localTtlMs: 300 })).toEqual({
      value: 'v2',
      hit: true,
    });
  });

  it('invalidates every entry of a tag, and leaves other tags alone', async () => {
    const tag = `list:${randomUUID()}`;
    const other = `other:${randomUUID()}`;
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await cache.getOrLoad(a, () => Promise.resolve(1), { tags: [tag] });
    await cache.getOrLoad(b, () => Promise.resolve(2), { tags: [tag] });
    await cache.getOrLoad(c, () => Promise.resolve(3), { tags: [other] });
    await cache.invalidateTags(tag);
    expect(await cache.getOrLoad(a, () => Promise.resolve(10), { tags: [tag] })).toEqual({ value: 10, hit: false });
    expect(await cache.getOrLoad(b, () => Promise.resolve(20), { tags: [tag] })).toEqual({ value: 20, hit: false });
    expect(await cache.getOrLoad(c, () => Promise.resolve(30), { tags: [other] })).toEqual({ value: 3, hit: true });
  });

  it('never publishes a value loaded before an invalidation that happened during the load', async () => {
    const key = `test:${randomUUID()}`;
    let release!: () => void;
    const slowLoad = cache.getOrLoad(key, () => new Promise<string>((resolve) => (release = () => resolve('stale'))));
    await sleep(20);
    await cache.invalidate(key);
    release();
    expect((await slowLoad).value).toBe('stale');
    // A read after the write must not see what the earlier load stored.
    expect(await cache.getOrLoad(key, () => Promise.resolve('fresh'))).toEqual({ value: 'fresh', hit: false });
  });

  it('expires entries after their TTL', async () => {
    const key = `test:${randomUUID()}`;
    await cache.getOrLoad(key, () => Promise.resolve('short'), { ttlMs: 100 });
    await sleep(250);
    expect(await cache.getOrLoad(key, () => Promise.resolve('again'))).toEqual({ value: 'again', hit: false });
  });
});

describeWithRedis('CacheAside when Redis goes away (fail open)', () => {
  let proxy: TcpProxy;
  let context: INestApplicationContext;
  let cache: CacheAside;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(process.env.REDIS_URL!).start();
    context = await createPlatformContext({
      REDIS_URL: proxy.rewrite(process.env.REDIS_URL!),
      CACHE_COMMAND_TIMEOUT_MS: '100',
    });
    cache = context.get(CacheAside);
  });

  afterAll(async () => {
    await context.close();
    await proxy.stop();
  });

  it('serves from the loader while Redis is unreachable or hanging, then caches again when it is back', async () => {
    const key = `test:${randomUUID()}`;
    await cache.getOrLoad(key, () => Promise.resolve('cached'));

    // Hanging Redis: every cache call is bounded by the command timeout.
    proxy.pause();
    let started = Date.now();
    expect(await cache.getOrLoad(key, () => Promise.resolve('from-db'))).toEqual({ value: 'from-db', hit: false });
    expect(Date.now() - started).toBeLessThan(1_000);
    proxy.resume();

    // Unreachable Redis: commands fail fast (no offline queue).
    proxy.cut();
    started = Date.now();
    expect(await cache.getOrLoad(key, () => Promise.resolve('from-db-2'))).toEqual({ value: 'from-db-2', hit: false });
    expect(Date.now() - started).toBeLessThan(1_000);

    proxy.restore();
    const other = `test:${randomUUID()}`;
    let hit = false;
    for (let attempt = 0; attempt < 50 && !hit; attempt++) {
      await cache.getOrLoad(other, () => Promise.resolve('back'));
      hit = (await cache.getOrLoad(other, () => Promise.resolve('unused'))).hit;
      if (!hit) {
        await sleep(100);
      }
    }
    expect(hit).toBe(true);
  });
});
