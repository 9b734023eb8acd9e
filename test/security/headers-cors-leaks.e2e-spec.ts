import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { adminEnv, bearer, login, register, uniqueEmail } from '../support/auth-helpers';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp } from '../support/test-app';

const ALLOWED = 'https://shop.example';
const DISALLOWED = 'https://evil.example';

/** What no error body may contain: stack frames, SQL, file paths, driver or runtime error names. */
const LEAKS = [/\bat [\w.<>]+ \(/, /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/i, /\/work\/|node_modules|\/dist\/|\.ts:\d+/, /QueryFailedError|TypeError|ReferenceError|duplicate key value/];

describe('security headers, CORS and error bodies', () => {
  let app: NestFastifyApplication;
  let proxy: TcpProxy;
  let adminToken: string;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(process.env.DATABASE_URL!).start();
    const env = adminEnv();
    app = await createTestApp({ ...env, CORS_ORIGINS: ALLOWED, DATABASE_URL: proxy.rewrite(process.env.DATABASE_URL!) });
    adminToken = (await login(app, env.ADMIN_EMAIL)).accessToken;
  });

  afterAll(async () => {
    await app.close();
    await proxy.stop();
  });

  it('sends the security headers on API answers and errors, and no X-Powered-By', async () => {
    for (const url of ['/health/live', '/v1/products', '/v1/nope']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toContain('max-age=');
      expect(response.headers['referrer-policy']).toBeDefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers CORS for an allowed origin (preflight and request) and not for another', async () => {
    const preflight = (origin: string) =>
      app.inject({ method: 'OPTIONS', url: '/v1/products', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const allowed = await preflight(ALLOWED);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect((await preflight(DISALLOWED)).headers['access-control-allow-origin']).toBeUndefined();

    const simple = (origin: string) => app.inject({ method: 'GET', url: '/v1/products', headers: { origin } });
    const fromAllowed = await simple(ALLOWED);
    expect(fromAllowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(fromAllowed.headers['access-control-expose-headers']).toLowerCase()).toContain('x-request-id');
    expect((await simple(DISALLOWED)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never puts a stack, SQL, a file path or a driver message in an error body', async () => {
    const email = uniqueEmail();
    const customer = await register(app, email);
    const bodies: Array<{ what: string; status: number; body: string; contentType: string }> = [];
    const record = async (what: string, request: Parameters<NestFastifyApplication['inject']>[0]) => {
      const response = await app.inject(request as never);
      bodies.push({ what, status: response.statusCode, body: response.body, contentType: String(response.headers['content-type']) });
    };
    await record('malformed JSON', { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email": ' });
    await record('unknown route', { method: 'GET', url: '/v1/definitely/not/here' });
    await record('unique violation', { method: 'POST', url: '/v1/auth/register', payload: { email, password: 'correct-horse-battery', name: 'Twin' } });
    await record('bad uuid', { method: 'GET', url: '/v1/products/not-a-uuid' });
    await record('tampered cursor', { method: 'GET', url: `/v1/products?cursor=${Buffer.from('{"x":1}').toString('base64url')}` });
    await record('huge number', { method: 'POST', url: '/v1/products', headers: bearer(adminToken), payload: { sku: 'X', name: 'X', priceCents: 1e300, currency: 'EUR' } });
    await record('wrong content type', { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'text/xml' }, payload: '<login/>' });
    // Found by the fuzz suite: values that made a validator or transformer throw (were 500s).
    await record('lone surrogate in an email', { method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":"\\ud800","password":"x"}' });
    await record('object with a non-callable toString for a date', {
      method: 'POST',
      url: '/v1/reports',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      payload: '{"type":"orders","format":"csv","to":{"toString":1}}',
    });
    await record('not mine', { method: 'GET', url: `/v1/orders/${randomUUID()}`, headers: bearer(customer.accessToken) });
    proxy.cut();
    try {
      await record('database down', { method: 'GET', url: `/v1/orders?limit=5`, headers: bearer(customer.accessToken) });
    } finally {
      proxy.restore();
    }

    for (const { what, status, body, contentType } of bodies) {
      const expectedClass = what === 'database down' ? status === 503 : status >= 400 && status < 500;
      expect({ what, status, expectedClass, problem: contentType.includes('application/problem+json') }).toEqual({ what, status, expectedClass: true, problem: true });
      for (const leak of LEAKS) {
        expect({ what, leak: leak.test(body) ? `${leak} in ${body}` : null }).toEqual({ what, leak: null });
      }
      const problem = JSON.parse(body) as Record<string, unknown>;
      expect(Object.keys(problem)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code', 'requestId']));
    }
    expect(bodies.find((entry) => entry.what === 'database down')?.status).toBe(503);
  });
});
