import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { adminEnv, bearer, login, register, uniqueEmail } from '../support/auth-helpers';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestApp } from '../support/test-app';

const ALLOWED = 'https://shop.example';
const DISALLOWED = 'https://evil.example';

/** The OWASP REST Security Cheat Sheet set (API.md "security headers"). */
const REST_SET = {
  'cache-control': 'no-store',
  'content-security-policy': "frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
/** Every header helmet or the REST set may send: an answer's security headers are the ones of these it has. */
const SECURITY_HEADER_NAMES = [
  ...Object.keys(REST_SET),
  'content-security-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

function securityHeadersOf(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    SECURITY_HEADER_NAMES.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]),
  );
}

/** What no error body may contain: stack frames, SQL, file paths, driver or runtime error names. */
const LEAKS = [
  /\bat [\w.<>]+ \(/,
  /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/i,
  /\/work\/|node_modules|\/dist\/|\.ts:\d+/,
  /QueryFailedError|TypeError|ReferenceError|duplicate key value/,
];

describe('security headers, CORS and error bodies', () => {
  let app: NestFastifyApplication;
  let proxy: TcpProxy;
  let adminToken: string;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(process.env.DATABASE_URL!).start();
    const env = adminEnv();
    app = await createTestApp({
      ...env,
      CORS_ORIGINS: ALLOWED,
      DATABASE_URL: proxy.rewrite(process.env.DATABASE_URL!),
    });
    adminToken = (await login(app, env.ADMIN_EMAIL)).accessToken;
  });

  afterAll(async () => {
    await app.close();
    await proxy.stop();
  });

  it('sends exactly the OWASP REST header set on every JSON, problem, CSV and 304 answer, and no X-Powered-By', async () => {
    const list = await app.inject({ method: 'GET', url: '/v1/products' });
    const answers: Array<[string, Awaited<ReturnType<NestFastifyApplication['inject']>>, string]> = [
      ['200 JSON', await app.inject({ method: 'GET', url: '/health/live' }), 'no-store'],
      ['200 cached JSON', list, 'public, max-age=0, must-revalidate'],
      [
        '304',
        await app.inject({
          method: 'GET',
          url: '/v1/products',
          headers: { 'if-none-match': String(list.headers.etag) },
        }),
        'public, max-age=0, must-revalidate',
      ],
      ['404 problem', await app.inject({ method: 'GET', url: '/v1/nope' }), 'no-store'],
      ['405 problem', await app.inject({ method: 'PUT', url: '/health/live' }), 'no-store'],
      ['400 problem', await app.inject({ method: 'GET', url: '/v1/products?limit=1e1' }), 'no-store'],
      ['401 problem', await app.inject({ method: 'GET', url: '/v1/users/me' }), 'no-store'],
      [
        'CSV',
        await app.inject({ method: 'GET', url: '/v1/reports/orders.csv', headers: bearer(adminToken) }),
        'no-store',
      ],
      ['OpenAPI JSON', await app.inject({ method: 'GET', url: '/docs-json' }), 'no-store'],
    ];
    expect(answers[2][1].statusCode).toBe(304);
    for (const [what, response, cacheControl] of answers) {
      expect({ what, headers: securityHeadersOf(response.headers) }).toEqual({
        what,
        headers: { ...REST_SET, 'cache-control': cacheControl },
      });
      expect({ what, poweredBy: response.headers['x-powered-by'] }).toEqual({ what, poweredBy: undefined });
    }
  });

  it("sends helmet's full HTML set, with a CSP of its own, on the Swagger UI pages only", async () => {
    for (const url of ['/docs', '/docs/', '/docs/swagger-ui-init.js', '/docs/swagger-ui.css']) {
      const response = await app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['strict-transport-security']).toContain('max-age=');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).not.toBe('no-store');
    }
  });

  it('answers CORS for an allowed origin (preflight and request) and not for another', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/v1/products',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
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
      bodies.push({
        what,
        status: response.statusCode,
        body: response.body,
        contentType: String(response.headers['content-type']),
      });
    };
    await record('malformed JSON', {
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    await record('unknown route', { method: 'GET', url: '/v1/definitely/not/here' });
    await record('unique violation', {
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: 'correct-horse-battery', name: 'Twin' },
    });
    await record('bad uuid', { method: 'GET', url: '/v1/products/not-a-uuid' });
    await record('tampered cursor', {
      method: 'GET',
      url: `/v1/products?cursor=${Buffer.from('{"x":1}').toString('base64url')}`,
    });
    await record('huge number', {
      method: 'POST',
      url: '/v1/products',
      headers: bearer(adminToken),
      payload: { sku: 'X', name: 'X', priceCents: 1e300, currency: 'EUR' },
    });
    await record('wrong content type', {
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'text/xml' },
      payload: '<login/>',
    });
    // Found by the fuzz suite: values that made a validator or transformer throw (were 500s).
    await record('lone surrogate in an email', {
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"\\ud800","password":"x"}',
    });
    await record('object with a non-callable toString for a date', {
      method: 'POST',
      url: '/v1/reports',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      payload: '{"type":"orders","format":"csv","to":{"toString":1}}',
    });
    await record('not mine', {
      method: 'GET',
      url: `/v1/orders/${randomUUID()}`,
      headers: bearer(customer.accessToken),
    });
    proxy.cut();
    try {
      await record('database down', {
        method: 'GET',
        url: `/v1/orders?limit=5`,
        headers: bearer(customer.accessToken),
      });
    } finally {
      proxy.restore();
    }

    for (const { what, status, body, contentType } of bodies) {
      const expectedClass = what === 'database down' ? status === 503 : status >= 400 && status < 500;
      expect({ what, status, expectedClass, problem: contentType.includes('application/problem+json') }).toEqual({
        what,
        status,
        expectedClass: true,
        problem: true,
      });
      for (const leak of LEAKS) {
        expect({ what, leak: leak.test(body) ? `${leak} in ${body}` : null }).toEqual({ what, leak: null });
      }
      const problem = JSON.parse(body) as Record<string, unknown>;
      expect(Object.keys(problem)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code', 'requestId']));
    }
    expect(bodies.find((entry) => entry.what === 'database down')?.status).toBe(503);
  });
});
