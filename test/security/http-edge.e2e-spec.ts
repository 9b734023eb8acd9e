import net from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { freePort } from '../support/api-process';
import { createTestApp } from '../support/test-app';

/** The OWASP REST header set every JSON and problem answer carries, and nothing of helmet's HTML set. */
export const REST_SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};
const HTML_ONLY_HEADERS = [
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes raw bytes on a fresh socket and parses the one answer the server writes before it closes. */
function rawExchange(port: number, write: (socket: net.Socket) => void): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(`no HTTP answer before close: ${JSON.stringify(text)}`));
        return;
      }
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
    socket.once('connect', () => write(socket));
  });
}

function expectProblem(answer: RawAnswer, status: number, code: string): void {
  expect({ status: answer.status, contentType: answer.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  expect(problem).toEqual(expect.objectContaining({ status, code, requestId: answer.headers['x-request-id'] }));
  expect(answer.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
  expect(answer.headers).toEqual(expect.objectContaining(REST_SECURITY_HEADERS));
  for (const name of HTML_ONLY_HEADERS) {
    expect({ name, value: answer.headers[name] }).toEqual({ name, value: undefined });
  }
}

/**
 * Errors the HTTP server raises itself, before or around any route (Node's parser:
 * 431, 400 framing, 408; Fastify's: 413, 414, 415, bad JSON), answered as the API's
 * own problems, on a real listening server and raw sockets.
 */
describe('errors raised by the HTTP server itself', () => {
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp({
      HTTP_HEADERS_TIMEOUT_MS: '500',
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      BODY_LIMIT_BYTES: '2048',
    });
    port = await freePort();
    await app.listen(port, '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  const send = (head: string, body = '') => rawExchange(port, (socket) => socket.end(head + body));

  it('answers an oversized request head with a 431 problem', async () => {
    expectProblem(
      await send(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(64 * 1024)}\r\n\r\n`),
      431,
      'HEADERS_TOO_LARGE',
    );
  });

  it.each([
    ['a request line that is not HTTP', 'THIS IS NOT HTTP\r\n\r\n'],
    ['a non-numeric Content-Length', 'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    [
      'both Content-Length and chunked (request smuggling)',
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'a broken chunk size',
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    ],
  ])('answers %s with a 400 problem', async (_what, raw) => {
    expectProblem(await send(raw), 400, 'MALFORMED_REQUEST');
  });

  it('answers a request head that never ends with a 408 problem', async () => {
    const answer = await rawExchange(port, (socket) => socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n'));
    expectProblem(answer, 408, 'REQUEST_TIMEOUT');
  });

  it.each([
    ['invalid JSON', 'application/json', '{"email": ', 400, 'MALFORMED_JSON'],
    ['an empty JSON body', 'application/json', '', 400, 'MALFORMED_JSON'],
    ['an unsupported content type', 'text/xml', '<login/>', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a body over the limit',
      'application/json',
      JSON.stringify({ email: 'x'.repeat(4096) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('answers %s with a problem', async (_what, contentType, body, status, code) => {
    const head = `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    expectProblem(await send(head, body), status, code);
  });

  it('answers a path parameter over the router limit with a 414 problem', async () => {
    expectProblem(
      await send(`GET /v1/products/${'a'.repeat(500)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      414,
      'URI_TOO_LONG',
    );
  });

  it('keeps serving after all of them', async () => {
    const answer = await send('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(200);
  });
});

describe('a known route called with another method', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ CORS_ORIGINS: 'https://shop.example' });
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['PUT', '/v1/products', ['GET', 'HEAD', 'OPTIONS', 'POST']],
    ['PUT', '/v1/products/0197a3a0-0000-7000-8000-000000000001', ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']],
    ['DELETE', '/health/live', ['GET', 'HEAD', 'OPTIONS']],
    // DELETE /v1/users/me is routed by /v1/users/:id (then refused by its validation), so it is allowed.
    ['POST', '/v1/users/me', ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']],
  ])('%s %s is a 405 problem with Allow', async (method, url, allowed) => {
    const response = await app.inject({
      method: method as 'PUT',
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(response.statusCode).toBe(405);
    expect(String(response.headers.allow).split(', ').sort()).toEqual(allowed);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual(
      expect.objectContaining({ status: 405, code: 'METHOD_NOT_ALLOWED', requestId: response.headers['x-request-id'] }),
    );
    expect(response.headers).toEqual(expect.objectContaining(REST_SECURITY_HEADERS));
  });

  it('still answers an unknown path with 404, HEAD of a GET route, and a CORS preflight', async () => {
    const unknown = await app.inject({ method: 'PUT', url: '/v1/no-such-thing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(unknown.headers.allow).toBeUndefined();

    expect((await app.inject({ method: 'HEAD', url: '/health/live' })).statusCode).toBe(200);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/products',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});

describe('integer query parameters', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(['1e1', '0x10', '+5', '%205', '5%20', '5.0', '', 'Infinity', '1_0', '0b1', '5,5'])(
    'refuses limit=%s with a 400 naming the field',
    async (limit) => {
      const response = await app.inject({ method: 'GET', url: `/v1/products?limit=${limit}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(
        expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'limit' })] }),
      );
    },
  );

  it('accepts decimal digits, and still bounds them', async () => {
    const page = await app.inject({ method: 'GET', url: '/v1/products?limit=5' });
    expect(page.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/products?limit=100' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/products?limit=101' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/products?limit=0' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/products?limit=-1' })).statusCode).toBe(400);
  });
});
