import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, PASSWORD, register, uniqueEmail } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';
import { describeWithRedis } from '../../support/requires';

/**
 * Failed-password throttling per (account, client address), against real Redis: a
 * stranger's failures never lock the owner out, the stranger stays throttled, and a
 * guess spread over many addresses is bounded by the per-account ceiling. Two app
 * instances share the Redis counters, as two cluster workers do. Client addresses are
 * set with inject's remoteAddress (the test apps do not trust proxies) or, on the app
 * started with TRUST_PROXY=true, with X-Forwarded-For.
 */
// Two app instances share their counters and evictions only through Redis; without it
// each process keeps its own (as the laptop mode intends), so there is nothing to test.
describeWithRedis('login and password-change throttling (e2e)', () => {
  const PER_CLIENT = 5;
  const PER_ACCOUNT = 8;
  let workerA: NestFastifyApplication;
  let workerB: NestFastifyApplication;

  beforeAll(async () => {
    const env = { LOGIN_FAILURES_PER_EMAIL: String(PER_CLIENT), LOGIN_FAILURES_PER_ACCOUNT: String(PER_ACCOUNT) };
    workerA = await createTestApp(env);
    workerB = await createTestApp({ ...env, TRUST_PROXY: 'true' });
  });

  afterAll(async () => {
    await Promise.all([workerA?.close(), workerB?.close()]);
  });

  const loginFrom = (
    app: NestFastifyApplication,
    remoteAddress: string,
    email: string,
    password: string,
    headers: Record<string, string> = {},
  ) => app.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress, headers, payload: { email, password } });

  it("a stranger's failures throttle the stranger, never the owner on a clean address", async () => {
    const email = uniqueEmail('victim');
    await register(workerA, email);
    const statuses: number[] = [];
    for (let i = 0; i < PER_CLIENT + 2; i++) {
      // The stranger alternates between the two workers: the count is shared.
      statuses.push(
        (await loginFrom(i % 2 ? workerB : workerA, '198.51.100.10', email, `wrong-guess-${i}-xyz`)).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);

    const stranger = await loginFrom(workerA, '198.51.100.10', email, PASSWORD);
    expect(stranger.statusCode).toBe(429);
    expect(stranger.headers['content-type']).toMatch(/problem\+json/);
    expect(stranger.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);

    const owner = await loginFrom(workerB, '203.0.113.20', email, PASSWORD);
    expect(owner.statusCode).toBe(200);
    expect(owner.json().user.email).toBe(email);
  });

  it('counts concurrent guesses exactly across workers: the limit is never overrun', async () => {
    const email = uniqueEmail('burst');
    await register(workerA, email);
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        loginFrom(i % 2 ? workerB : workerA, '198.51.100.11', email, `burst-guess-${i}-xyz`),
      ),
    );
    const statuses = burst.map((response) => response.statusCode).sort();
    expect(statuses.filter((status) => status === 401)).toHaveLength(PER_CLIENT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(16 - PER_CLIENT);
  });

  it('bounds guessing spread over many addresses, and the owner still logs in from a clean one', async () => {
    const email = uniqueEmail('spread');
    await register(workerA, email);
    // Two addresses stay under the per-address limit but together reach the account's ceiling.
    for (const address of ['192.0.2.1', '192.0.2.2']) {
      for (let i = 0; i < PER_ACCOUNT / 2; i++) {
        expect((await loginFrom(workerA, address, email, `spread-guess-${i}-xyz`)).statusCode).toBe(401);
      }
    }
    // From now on every address gets one attempt: those that already failed get none.
    expect((await loginFrom(workerA, '192.0.2.1', email, 'spread-guess-late-xyz')).statusCode).toBe(429);
    for (const address of ['192.0.2.3', '192.0.2.4', '192.0.2.5']) {
      expect((await loginFrom(workerB, address, email, 'fresh-address-guess-1')).statusCode).toBe(401);
      expect((await loginFrom(workerB, address, email, 'fresh-address-guess-2')).statusCode).toBe(429);
      expect((await loginFrom(workerB, address, email, PASSWORD)).statusCode).toBe(429);
    }
    expect((await loginFrom(workerA, '192.0.2.200', email, PASSWORD)).statusCode).toBe(200);
  });

  it('groups an IPv6 client by its /64: fresh addresses in the same network are the same guesser', async () => {
    const email = uniqueEmail('ipv6');
    await register(workerA, email);
    for (let i = 1; i <= PER_CLIENT; i++) {
      expect((await loginFrom(workerA, `2001:db8:aa:1::${i}`, email, `v6-guess-${i}-xyz`)).statusCode).toBe(401);
    }
    expect((await loginFrom(workerA, '2001:db8:aa:1::ffff', email, PASSWORD)).statusCode).toBe(429);
    expect((await loginFrom(workerA, '2001:db8:aa:2::1', email, PASSWORD)).statusCode).toBe(200);
  });

  it('takes the client address from X-Forwarded-For only when TRUST_PROXY is on', async () => {
    const email = uniqueEmail('proxy');
    await register(workerA, email);
    const viaProxy = (app: NestFastifyApplication, forwardedFor: string, password: string) =>
      loginFrom(app, '10.0.0.1', email, password, { 'x-forwarded-for': forwardedFor });
    for (let i = 0; i < PER_CLIENT; i++) {
      // Not trusted: a forged header does not give the stranger a fresh address.
      expect((await viaProxy(workerA, `198.51.100.${50 + i}`, `proxy-guess-${i}-xyz`)).statusCode).toBe(401);
    }
    expect((await viaProxy(workerA, '198.51.100.99', PASSWORD)).statusCode).toBe(429);
    // Behind a trusted proxy the forwarded address is the client: the owner's is clean.
    expect((await viaProxy(workerB, '203.0.113.30', PASSWORD)).statusCode).toBe(200);
  });

  it('throttles wrong current passwords on a password change the same way (429 after the limit)', async () => {
    const session = await register(workerA);
    const change = (app: NestFastifyApplication, remoteAddress: string, currentPassword: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/users/me/password',
        remoteAddress,
        headers: bearer(session.accessToken),
        payload: { currentPassword, newPassword: 'plum-glacier-weasel-71' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < PER_CLIENT + 1; i++) {
      statuses.push((await change(i % 2 ? workerB : workerA, '198.51.100.12', `wrong-current-${i}-xyz`)).statusCode);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    const blocked = await change(workerA, '198.51.100.12', PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await change(workerA, '203.0.113.40', PASSWORD)).statusCode).toBe(204);
  });
});
