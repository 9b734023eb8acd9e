import { CacheAside } from '@app/platform';
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

  beforeAll(async () => {
    here = await createPlatformContext({ REDIS_URL: process.env.REDIS_URL });
    there = await createPlatformContext({ REDIS_URL: process.env.REDIS_URL });
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
    let release!: () => void;
    const slow = there
      .get(CacheAside)
      .getOrLoad(key, () => new Promise<string>((resolve) => (release = () => resolve('stale'))), options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await here.get(CacheAside).invalidate(key);
    release();
    expect((await slow).value).toBe('stale');
    expect(await there.get(CacheAside).getOrLoad(key, () => Promise.resolve('fresh'), options)).toEqual({
      value: 'fresh',
      hit: false,
    });
  });
});
