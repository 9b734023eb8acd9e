import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../../support/test-app';

const LIMIT = 3;
const PROXY = '10.0.0.1';

/**
 * TRUST_PROXY decides the client address that the rate limits key on (here the general
 * limit, counted in this one process at once). Requests come from `remoteAddress` (the
 * socket's peer) with an X-Forwarded-For as a reverse proxy that appends to it sends it.
 */
describe('TRUST_PROXY: the client address behind a reverse proxy (e2e)', () => {
  let app: NestFastifyApplication;
  let run = 0;

  async function start(trustProxy: string | undefined): Promise<void> {
    app = await createTestApp({
      TRUST_PROXY: trustProxy,
      THROTTLE_DEFAULT_PER_MINUTE: String(LIMIT),
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-trust-proxy-${Date.now()}-${run++}`,
    });
  }

  afterEach(async () => {
    await app?.close();
  });

  /** The statuses of GETs from `peer`, the i-th with `forwardedFor(i)` as X-Forwarded-For. */
  async function statuses(peer: string, forwardedFor: (i: number) => string, count = LIMIT + 1): Promise<number[]> {
    const answers: number[] = [];
    for (let i = 0; i < count; i++) {
      const response = await app.inject({
        method: 'GET',
        url: '/v1/products?limit=1',
        remoteAddress: peer,
        headers: { 'x-forwarded-for': forwardedFor(i) },
      });
      answers.push(response.statusCode);
    }
    return answers;
  }
  const passed = (count: number) => Array<number>(count).fill(200);
  const limited = [...passed(LIMIT), 429];

  it('unset: ignores X-Forwarded-For, the client is the peer (a forged header gets no fresh address)', async () => {
    await start(undefined);
    expect(await statuses(PROXY, (i) => `203.0.113.${i + 1}`)).toEqual(limited);
  });

  it("a proxies' list: the client is the nearest address that is not a listed proxy", async () => {
    await start('10.0.0.0/8, loopback');
    // Whatever the client writes into the header itself sits left of what the proxy appends.
    expect(await statuses(PROXY, (i) => `198.51.100.${i + 1}, 203.0.113.7`)).toEqual(limited);
    // Another client behind the same proxy is counted apart, and a chain of listed proxies is crossed.
    expect(await statuses(PROXY, () => '203.0.113.8, 10.0.0.2', LIMIT)).toEqual(passed(LIMIT));
    // A peer that is not a listed proxy is not believed: it is the client.
    expect(await statuses('192.0.2.9', (i) => `203.0.113.${i + 20}`)).toEqual(limited);
  });

  it('true: believes every hop, the left-most address (only for a proxy that replaces the header)', async () => {
    await start('true');
    expect(await statuses(PROXY, (i) => `198.51.100.${i + 1}, 203.0.113.7`)).toEqual(passed(LIMIT + 1));
  });
});
