import OpenAPISchemaValidator from 'openapi-schema-validator';
import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsEmail, IsInt, Max, Min } from 'class-validator';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { appConfig, MetricsService, Public, startMetricsListener } from '@app/platform';
import pino from 'pino';
import { ApiModule } from '../../../apps/api/src/api.module';
import { createTestApp } from '../../support/test-app';
import { TcpProxy } from '../../support/tcp-proxy';

class ProbeDto {
  @IsEmail()
  email: string;

  @IsInt()
  @Min(1)
  @Max(10)
  count: number;
}

/** A route with a DTO, mounted beside the real API to exercise the global pipe and filter. */
@Public()
@Controller('probe')
class ProbeController {
  @Post()
  echo(@Body() body: ProbeDto): ProbeDto {
    return body;
  }
}

@Module({ imports: [ApiModule], controllers: [ProbeController] })
class ProbeApiModule {}

function expectProblem(response: { headers: Record<string, unknown>; json(): unknown }, status: number, code: string) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(body.requestId).toEqual(response.headers['x-request-id']);
  return body;
}

describe('platform request pipeline (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({}, ProbeApiModule);
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers /health/live', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('reports every configured dependency up on /health/ready', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    const body = response.json();
    expect({ status: response.statusCode, body }).toMatchObject({ status: 200 });
    expect(body.status).toBe('ok');
    expect(body.details.postgres.status).toBe('up');
    if (process.env.REDIS_URL) {
      expect(body.details.redis.status).toBe('up');
    }
    if (process.env.AMQP_URL) {
      expect(body.details.rabbitmq.status).toBe('up');
    }
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/no-such-thing' });
    expect(response.statusCode).toBe(404);
    expectProblem(response, 404, 'NOT_FOUND');
  });

  it('answers a validation error with one errors[] entry per bad field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/probe',
      payload: { email: 'not-an-email', count: 99, extra: true },
    });
    expect(response.statusCode).toBe(400);
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    const fields = (body.errors as Array<{ field: string }>).map((error) => error.field).sort();
    expect(fields).toEqual(['count', 'email', 'extra']);
  });

  it('accepts a valid body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/probe',
      payload: { email: 'a@example.com', count: 3 },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ email: 'a@example.com', count: 3 });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/probe',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expectProblem(response, 400, 'MALFORMED_JSON');
  });

  it('answers a body over the limit with a 413 problem', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/probe',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('echoes a valid X-Request-Id and replaces an unsafe one', async () => {
    const echoed = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'trace-123.abc' },
    });
    expect(echoed.headers['x-request-id']).toBe('trace-123.abc');
    const replaced = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await app.inject({ method: 'GET', url: '/health/live' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });

  it('compresses bodies of 1 KiB and more by Accept-Encoding, and not smaller ones', async () => {
    const plain = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(plain.rawPayload.length).toBeGreaterThan(1024);

    const gzip = await app.inject({ method: 'GET', url: '/docs-json', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);

    const brotli = await app.inject({ method: 'GET', url: '/docs-json', headers: { 'accept-encoding': 'br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(plain.body);

    const deflate = await app.inject({ method: 'GET', url: '/docs-json', headers: { 'accept-encoding': 'deflate' } });
    expect(deflate.headers['content-encoding']).toBe('deflate');

    const small = await app.inject({ method: 'GET', url: '/health/live', headers: { 'accept-encoding': 'gzip, br' } });
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it("sends the OWASP REST security headers on JSON (helmet's HTML set is for the Swagger UI pages only)", async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves a valid OpenAPI 3 document with the problem schema and bearer scheme', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs-json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(new OpenAPISchemaValidator({ version: 3 }).validate(document).errors).toEqual([]);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.schemas.ProblemDetailsDto).toBeDefined();
    const paths: Record<string, Record<string, { responses: Record<string, unknown> }>> = document.paths;
    for (const pathItem of Object.values(paths)) {
      for (const operation of Object.values(pathItem)) {
        expect(operation.responses['4XX']).toBeDefined();
      }
    }
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('exposes Prometheus metrics on a listener of its own, with the request duration histogram by route', async () => {
    const listener = await startMetricsListener(
      app.get(MetricsService),
      { ...appConfig(), metrics: { port: 0, host: '127.0.0.1' } },
      pino({ level: 'silent' }),
    );
    try {
      await app.inject({ method: 'GET', url: '/health/live' });
      const response = await fetch(`http://127.0.0.1:${listener!.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const body = await response.text();
      expect(body).toMatch(
        /http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*method="GET"[^}]*status="200"/,
      );
      expect(body).toContain('process_cpu_user_seconds_total');
      expect(body).toContain('db_pool_clients');
      expect((await fetch(`http://127.0.0.1:${listener!.port}/other`)).status).toBe(404);
    } finally {
      await listener?.close();
    }
  });

  it('does not serve /metrics on the public port', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('http_request_duration_seconds');
  });
});

describe('readiness with PostgreSQL unreachable (e2e)', () => {
  let proxy: TcpProxy;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    proxy = await TcpProxy.forUrl(process.env.DATABASE_URL!).start();
    app = await createTestApp({ DATABASE_URL: proxy.rewrite(process.env.DATABASE_URL!), DB_CONNECT_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await app.close();
    await proxy.stop();
  });

  it('turns 503 naming postgres while the database is cut off, and 200 again after', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    proxy.cut();
    const down = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    const body = expectProblem(down, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(body.detail).toContain('postgres');

    proxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode;
      if (status !== 200) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(status).toBe(200);
  });
});
