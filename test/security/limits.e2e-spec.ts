import http from 'node:http';
import net from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { request, RunningProcess, startBuiltApp, waitFor } from '../support/api-process';
import { bearer, register, uniqueEmail } from '../support/auth-helpers';
import { httpInjector } from '../support/http-injector';
import { createTestApp } from '../support/test-app';

/** Sends one request on a fresh socket and resolves with its status, or the socket error's code. */
function rawRequest(
  port: number,
  options: http.RequestOptions,
  body?: Buffer | string,
): Promise<{ status: number | string; contentType?: string; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, agent: false, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? error.message, body: '' }));
    req.end(body);
  });
}

/**
 * Oversized and hostile requests against the built API as a real process (real
 * sockets, real limits): each is refused cleanly and the server keeps serving others.
 */
describe('request limits (built API process)', () => {
  let api: RunningProcess;
  let token: string;

  beforeAll(async () => {
    api = await startBuiltApp('api', { HTTP_HEADERS_TIMEOUT_MS: '1500', HTTP_REQUEST_TIMEOUT_MS: '3000' });
    token = (await register(httpInjector(api.port))).accessToken;
  });

  afterAll(() => {
    api?.child.kill('SIGKILL');
  });

  const stillServes = async () => expect((await request(api.port, '/health/live')).status).toBe(200);

  it('refuses a 10 MB JSON body with 413 problem+json', async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: 'x'.repeat(12), name: 'y'.repeat(10 * 1024 * 1024) });
    const response = await rawRequest(
      api.port,
      {
        method: 'POST',
        path: '/v1/auth/register',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      body,
    );
    // The server may answer before it has read the whole body and close the socket.
    if (typeof response.status === 'number') {
      expect(response.status).toBe(413);
      expect(response.contentType).toMatch(/problem\+json/);
    } else {
      expect(response.status).toMatch(/ECONNRESET|EPIPE/);
    }
    await stillServes();
  });

  it('refuses a 10,000-element array with a 400 validation problem', async () => {
    const items = Array.from({ length: 10_000 }, () => ({ productId: randomUUID(), quantity: 1 }));
    const body = JSON.stringify({ items });
    const response = await rawRequest(
      api.port,
      {
        method: 'POST',
        path: '/v1/orders',
        headers: { ...bearer(token), 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      },
      body,
    );
    expect(response.status).toBe(400);
    expect(response.contentType).toMatch(/problem\+json/);
    expect(JSON.parse(response.body).code).toBe('VALIDATION_FAILED');
    await stillServes();
  });

  it('refuses a 1 MB header with 431 (or closes the socket) and keeps serving', async () => {
    const response = await rawRequest(api.port, {
      method: 'GET',
      path: '/health/live',
      headers: { 'x-padding': 'a'.repeat(1024 * 1024) },
    });
    expect([431, 'ECONNRESET', 'EPIPE']).toContain(response.status);
    if (response.status === 431) {
      // Written by the app's clientErrorHandler, not Node's or Fastify's default.
      expect(response.contentType).toMatch(/problem\+json/);
      expect(JSON.parse(response.body).code).toBe('HEADERS_TOO_LARGE');
    }
    await stillServes();
  });

  it('answers long crafted inputs (ReDoS near-misses) at once with a 4xx, and keeps serving', async () => {
    // Under Node's 16 KiB header limit, so that the app's own parsing and regexes see them.
    const nearMiss = 'a'.repeat(8_000);
    const started = Date.now();
    const answers = await Promise.all([
      rawRequest(api.port, { method: 'GET', path: `/v1/products/${nearMiss}` }),
      rawRequest(api.port, { method: 'GET', path: `/v1/products?cursor=${nearMiss}!&fields=${'id,'.repeat(1_000)}x` }),
      rawRequest(api.port, { method: 'GET', path: '/health/live', headers: { 'x-request-id': `${nearMiss}!` } }),
      rawRequest(
        api.port,
        { method: 'POST', path: '/v1/auth/login', headers: { 'content-type': 'application/json' } },
        JSON.stringify({ email: `${'a.'.repeat(20_000)}@${'b'.repeat(300)}`, password: 'x'.repeat(12) }),
      ),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([414, 400, 200, 400]);
    expect(
      answers.filter((answer) => answer.status !== 200).every((answer) => answer.contentType?.includes('problem+json')),
    ).toBe(true);
    // Not a timing assertion on the machine's speed: a backtracking regex on 8 kB
    // would take minutes, and this bound only catches that.
    expect(Date.now() - started).toBeLessThan(10_000);
    await stillServes();
  });

  it('drops slow clients (slowloris) after the header timeout while others are served', async () => {
    const slow = Array.from({ length: 50 }, () => {
      const socket = net.connect(api.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\n');
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // One more header line now and then; the head never ends.
      const trickle = setInterval(() => socket.writable && socket.write(`X-Slow-${Date.now()}: 1\r\n`), 300);
      return { socket, closed, trickle };
    });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => request(api.port, '/health/live')));
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      // Every slow socket is closed by the server (HTTP_HEADERS_TIMEOUT_MS = 1.5 s).
      let open = slow.length;
      for (const { closed } of slow) {
        void closed.then(() => open--);
      }
      await waitFor(
        () => open === 0,
        10_000,
        () => `${open} slow sockets still open`,
      );
      await stillServes();
    } finally {
      for (const { socket, trickle } of slow) {
        clearInterval(trickle);
        socket.destroy();
      }
    }
  });
});

describe('prototype pollution payloads', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([
    [
      '__proto__',
      `{"email":"${uniqueEmail()}","password":"correct-horse-battery","name":"x","__proto__":{"roles":["admin"],"polluted":true}}`,
    ],
    [
      'constructor.prototype',
      `{"email":"${uniqueEmail()}","password":"correct-horse-battery","name":"x","constructor":{"prototype":{"polluted":true}}}`,
    ],
    ['nested __proto__', `{"items":[{"productId":"${randomUUID()}","quantity":1,"__proto__":{"polluted":true}}]}`],
  ])('refuses a %s payload with a 400 problem and pollutes nothing', async (_name, payload) => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).roles).toBeUndefined();
  });
});
