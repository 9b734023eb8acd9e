import { spawnSync } from 'node:child_process';
import { RunningProcess, startBuiltApp, waitFor } from '../support/api-process';
import { adminEnv, bearer, login, register, uniqueEmail } from '../support/auth-helpers';
import { createProduct } from '../support/commerce-fixtures';
import { recordFigures } from '../support/figures';
import { httpInjector } from '../support/http-injector';
import { sleep, steadyLoad } from '../support/load';
import { RedisServer } from '../support/redis-server';
import { describeWhen } from '../support/requires';

// The test starts and kills a Redis of its own; without the binary (a bare laptop) it is skipped.
const describeWithRedisServer = describeWhen(
  spawnSync('redis-server', ['--version']).status === 0,
  'no redis-server binary on PATH (the test starts and kills a Redis of its own)',
);

/**
 * Redis (a server of the test's own) is killed while a cached route is under load,
 * then started again. The API must keep answering from PostgreSQL, rate limiting
 * must fall back to per-process counts, readiness must say Redis is down, and
 * caching must resume by itself when Redis is back.
 */
describeWithRedisServer('Redis stops and returns under load (built API process)', () => {
  let redis: RedisServer;
  let api: RunningProcess;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await redis?.kill();
  });

  it('keeps serving from PostgreSQL, degrades rate limits to per-process, and resumes caching', async () => {
    const env = adminEnv();
    api = await startBuiltApp(
      'api',
      { ...env, REDIS_URL: redis.url, THROTTLE_AUTH_PER_MINUTE: '5', CACHE_COMMAND_TIMEOUT_MS: '250' },
      '/health/ready',
    );
    const http = httpInjector(api.port);
    const admin = await login(http, env.ADMIN_EMAIL);
    const customer = await register(http);
    const product = await createProduct(http, admin.accessToken);
    const url = `/v1/products/${product.id}`;
    const get = () => http.inject({ method: 'GET', url, headers: bearer(customer.accessToken) });
    await get();
    expect((await get()).headers['x-cache']).toBe('HIT');

    let recoveryMs = 0;
    const { result } = await steadyLoad(
      { port: api.port, path: url, headers: bearer(customer.accessToken), timeout: 2 },
      async () => {
        await sleep(1_000);
        await redis.kill();
        await sleep(1_000);

        const during = await get();
        expect(during.statusCode).toBe(200);
        expect(during.json<{ id: string }>().id).toBe(product.id);
        expect(during.headers['x-cache']).toBe('MISS');

        const ready = await http.inject({ method: 'GET', url: '/health/ready' });
        expect(ready.statusCode).toBe(503);
        expect(ready.body).toMatch(/redis/i);

        // The per-IP auth limit (5/min) still holds, counted in this process's memory.
        const email = uniqueEmail('throttled');
        const statuses: number[] = [];
        for (let attempt = 0; attempt < 7; attempt++) {
          statuses.push(
            (
              await http.inject({
                method: 'POST',
                url: '/v1/auth/login',
                payload: { email, password: 'wrong-password-123' },
              })
            ).statusCode,
          );
        }
        expect(statuses).toContain(429);
        expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);

        await redis.restart();
        const back = Date.now();
        await waitFor(
          async () => (await http.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200,
          15_000,
        );
        await waitFor(async () => (await get()).headers['x-cache'] === 'HIT', 15_000);
        recoveryMs = Date.now() - back;
        await sleep(500);
      },
    );
    recordFigures('redis-outage', {
      requests: result.requests.total,
      errors: result.errors,
      non2xx: result.non2xx,
      timeouts: result.timeouts,
      p99Ms: result.latency.p99,
      maxMs: result.latency.max,
      recoveryMs,
    });

    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx }).toEqual({
      errors: 0,
      timeouts: 0,
      non2xx: 0,
    });
    expect(result.requests.total).toBeGreaterThan(500);
  }, 90_000);
});
