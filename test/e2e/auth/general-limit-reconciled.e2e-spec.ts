import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../../support/test-app';
import { describeWithRedis } from '../../support/requires';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The general per-client limit is counted in each process and reconciled through Redis
 * at least once a second (the contract allows it; the auth limits stay exact). Two app
 * instances sharing one Redis stand for two cluster workers: hits made in one are
 * counted against the client in the other after a reconciliation.
 */
// Two app instances share their counters and evictions only through Redis; without it
// each process keeps its own (as the laptop mode intends), so there is nothing to test.
describeWithRedis('general rate limit across processes (two app instances, one Redis)', () => {
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    const env = {
      THROTTLE_DEFAULT_PER_MINUTE: '10',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-reconciled-${Date.now()}`,
    };
    first = await createTestApp(env);
    second = await createTestApp(env);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const get = (app: NestFastifyApplication) =>
    app.inject({ method: 'GET', url: '/v1/products?limit=1' }).then((answer) => answer);

  it('holds one client to the limit over both processes within a reconciliation interval', async () => {
    const fromFirst: number[] = [];
    for (let i = 0; i < 8; i++) {
      fromFirst.push((await get(first)).statusCode);
    }
    expect(fromFirst.every((status) => status === 200)).toBe(true);
    // After a reconciliation the 8 hits of the first process are in Redis; the second
    // process learns the shared total at its own next reconciliation. 8 + 2 is still
    // within the limit, whenever that reconciliation happens.
    await sleep(1_200);
    const fromSecond: number[] = [];
    for (let i = 0; i < 2; i++) {
      fromSecond.push((await get(second)).statusCode);
    }
    expect(fromSecond).toEqual([200, 200]);
    await sleep(1_200);
    const limited = await get(second);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The first process learns the total at its next reconciliation too.
    await get(first);
    await sleep(1_200);
    expect((await get(first)).statusCode).toBe(429);
  });

  it('counts within one process at once, without waiting for a reconciliation', async () => {
    const env = {
      THROTTLE_DEFAULT_PER_MINUTE: '3',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-reconciled-local-${Date.now()}`,
    };
    const app = await createTestApp(env);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await get(app)).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await app.close();
    }
  });
});
