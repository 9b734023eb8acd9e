import { CacheAside, REDIS_CLIENT, RedisClient } from '@app/platform';
import { CacheEvictionChannel } from '@app/platform/cache/cache-eviction-channel';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createPlatformContext } from '../../support/platform-context';
import { describeWithRedis } from '../../support/requires';

/**
 * Two contexts on one Redis stand for two cluster workers, each with its own
 * process-local layer (localTtlMs): an invalidation in one drops the other's copy at once.
 */
describeWithRedis('CacheAside local copies across processes (Redis pub/sub)', () => {
  let here: INestApplicationContext;
  let there: INestApplicationContext;
  let prefix: string;

  beforeAll(async () => {
    // A channel of their own: other suites' contexts would otherwise acknowledge too.
    const env = {
      REDIS_URL: process.env.REDIS_URL,
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-${randomUUID()}`,
    };
    prefix = env.REDIS_KEY_PREFIX;
    here = await createPlatformContext(env);
    there = await createPlatformContext(env);
  });

  afterAll(async () => {
    await here?.close();
    await there?.close();
  });

  it('an invalidation in one process drops the local copy in the other before it returns', async () => {
    const key = `test:${randomUUID()}`;
    const options = { localTtlMs: 60_000 };
    await here.get(CacheAside).getOrLoad(key, () => Promise.resolve('v1'), options);
    expect(await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('unused'), options)).toEqual({
      value: 'v1',
      hit: true,
    });

    await here.get(CacheAside).invalidate(key);
    expect(await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('v2'), options)).toEqual({
      value: 'v2',
      hit: false,
    });
    expect(await here.get(CacheAside).getOrLoad(key, () => Promise.resolve('unused'), options)).toEqual({
      value: 'v2',
      hit: true,
    });
  });

  it('a tag invalidation in one process drops every local copy in the other', async () => {
    const [key, tag] = [`test:${randomUUID()}`, `tag:${randomUUID()}`];
    const options = { localTtlMs: 60_000, tags: [tag] };
    await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('old'), options);
    await here.get(CacheAside).invalidateTags(tag);
    expect((await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('new'), options)).value).toBe('new');
  });

  it('does not keep locally a value whose load overlapped an invalidation', async () => {
    const key = `test:${randomUUID()}`;
    const options = { localTtlMs: 60_000 };
    const slow = await loadOverlapping(there, key, 'stale', () => here.get(CacheAside).invalidate(key));
    expect(slow.value).toBe('stale');
    expect(await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('fresh'), options)).toEqual({
      value: 'fresh',
      hit: false,
    });
  });

  it('keeps locally a value whose load overlapped an invalidation of another key only', async () => {
    const [key, other] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    const options = { localTtlMs: 60_000 };
    const slow = await loadOverlapping(here, key, 'v1', () => here.get(CacheAside).invalidate(other));
    expect(slow.value).toBe('v1');
    // In this process's memory: a stream of writes to other keys no longer keeps every load out of it.
    expect(here.get(CacheAside).peekLocal(key, options)).toEqual({ value: 'v1', hit: true });
  });

  it('a burst of invalidations of one key shares its runs, and every one of them drops the other copy', async () => {
    const key = `test:${randomUUID()}`;
    const options = { localTtlMs: 60_000 };
    let evictionsThere = 0;
    there.get(CacheEvictionChannel).onEviction((eviction) => {
      if ('keys' in eviction && eviction.keys.includes(key)) {
        evictionsThere++;
      }
    });
    await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('v1'), options);

    await Promise.all(Array.from({ length: 100 }, () => here.get(CacheAside).invalidate(key)));
    // One run for the first caller, one shared by the 99 that came while it ran.
    expect(evictionsThere).toBeGreaterThanOrEqual(1);
    expect(evictionsThere).toBeLessThanOrEqual(2);
    expect(await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('v2'), options)).toEqual({
      value: 'v2',
      hit: false,
    });
  });

  it('acknowledges its own evictions without a round trip: one acknowledgement on the wire per other process', async () => {
    const redis = here.get<RedisClient>(REDIS_CLIENT);
    const listener = redis.duplicate();
    await listener.connect();
    const acks: string[] = [];
    await listener.pSubscribe(`${prefix}:cache:evict:ack:*`, (message, channel) => acks.push(`${channel} ${message}`));
    try {
      await here.get(CacheAside).invalidate(`test:${randomUUID()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(acks).toHaveLength(1);
    } finally {
      await listener.close();
    }
  });
});

/** A load of `key` into `context`'s local level (localTtlMs) that finishes only after `meanwhile` did. */
async function loadOverlapping(
  context: INestApplicationContext,
  key: string,
  value: string,
  meanwhile: () => Promise<void>,
): Promise<{ value: string; hit: boolean }> {
  let release!: () => void;
  const slow = context
    .get(CacheAside)
    .getOrLoad(key, () => new Promise<string>((resolve) => (release = () => resolve(value))), { localTtlMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await meanwhile();
  release();
  return slow;
}
