import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { waitFor } from '../../support/api-process';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';

import { seedOrders, trackBackends } from '../../support/report-fixtures';
import { createTestApp } from '../../support/test-app';

describe('reports (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let dataSource: DataSource;
  let filesDir: string;
  const FROM = '2030-01-01T00:00:00.000Z';
  const TO = '2030-02-01T00:00:00.000Z';

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'reports-'));
    const env = adminEnv();
    app = await createTestApp({ ...env, FILES_LOCAL_DIR: filesDir });
    admin = await login(app, env.ADMIN_EMAIL);
    dataSource = app.get(DataSource);
    await seedOrders(dataSource, FROM, 3000);
  });

  afterAll(async () => {
    await app.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  const exportUrl = (format: string) => `/v1/reports/orders.${format}?from=${FROM}&to=${TO}`;

  it('exports CSV rows that match the database, RFC 4180, with a header', async () => {
    const response = await app.inject({ method: 'GET', url: exportUrl('csv'), headers: bearer(admin.accessToken) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.trimEnd().split('\n');
    expect(lines[0]).toBe('id,userId,status,itemCount,totalCents,currency,createdAt');
    expect(lines).toHaveLength(3001);
    const expected = await dataSource.query(
      `SELECT o.id, o.status, o.total_cents::int AS total, (SELECT SUM(quantity) FROM order_items i WHERE i.order_id = o.id)::int AS units
         FROM orders o WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id`,
      [FROM, TO],
    );
    lines.slice(1).forEach((line, index) => {
      const [id, , status, itemCount, totalCents, currency] = line.split(',');
      expect({ id, status, itemCount: Number(itemCount), totalCents: Number(totalCents), currency }).toEqual({
        id: expected[index].id,
        status: expected[index].status,
        itemCount: expected[index].units,
        totalCents: expected[index].total,
        currency: 'EUR',
      });
    });
  });

  it('exports the same rows as NDJSON', async () => {
    const csv = (await app.inject({ method: 'GET', url: exportUrl('csv'), headers: bearer(admin.accessToken) })).body
      .trimEnd()
      .split('\n')
      .slice(1);
    const ndjson = (
      await app.inject({ method: 'GET', url: exportUrl('ndjson'), headers: bearer(admin.accessToken) })
    ).body
      .trimEnd()
      .split('\n');
    expect(ndjson).toHaveLength(csv.length);
    const first = JSON.parse(ndjson[0]);
    expect(Object.keys(first)).toEqual(['id', 'userId', 'status', 'itemCount', 'totalCents', 'currency', 'createdAt']);
    expect(ndjson.map((line) => JSON.parse(line).id)).toEqual(csv.map((line) => line.split(',')[0]));
  });

  it('compresses by Accept-Encoding: gzip and brotli decode to the same bytes', async () => {
    const plain = await app.inject({ method: 'GET', url: exportUrl('csv'), headers: bearer(admin.accessToken) });
    const gzip = await app.inject({
      method: 'GET',
      url: exportUrl('csv'),
      headers: { ...bearer(admin.accessToken), 'accept-encoding': 'gzip' },
    });
    const br = await app.inject({
      method: 'GET',
      url: exportUrl('csv'),
      headers: { ...bearer(admin.accessToken), 'accept-encoding': 'br' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
  });

  it('rejects a bad range and non-admins', async () => {
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/v1/reports/orders.csv?from=${TO}&to=${FROM}`,
          headers: bearer(admin.accessToken),
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/v1/reports/orders.csv?from=yesterday',
          headers: bearer(admin.accessToken),
        })
      ).statusCode,
    ).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/reports/orders.csv' })).statusCode).toBe(401);
  });

  it('writes what the database holds as RFC 4180 CSV, timestamps cut to milliseconds, a header for no rows', async () => {
    // The former formatter's rules, applied to what the driver reads: the COPY must match them.
    const csvField = (value: string | number) => {
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const from = '2030-06-01T00:00:00.000Z';
    const to = '2030-07-01T00:00:00.000Z';
    await dataSource.query(
      `INSERT INTO orders (id, user_id, status, total_cents, currency, created_at) VALUES
         (gen_random_uuid(), gen_random_uuid(), 'placed', 123456789012, 'a,"', '2030-06-01 10:00:00.123999+00'),
         (gen_random_uuid(), gen_random_uuid(), 'cancelled', 0, 'US ', '2030-06-02 10:00:00.000001+00'),
         (gen_random_uuid(), gen_random_uuid(), 'placed', 5, 'EUR', '2030-06-03 23:59:59.9999+00')`,
    );
    const rows = await dataSource.query<
      Array<{
        id: string;
        user_id: string;
        status: string;
        total_cents: string;
        currency: string;
        created_at: Date;
        units: string;
      }>
    >(
      `SELECT o.id, o.user_id, o.status, o.total_cents, o.currency, o.created_at,
              (SELECT COALESCE(SUM(quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS units
         FROM orders o WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id`,
      [from, to],
    );
    const expected = [
      'id,userId,status,itemCount,totalCents,currency,createdAt',
      ...rows.map((row) =>
        [
          row.id,
          row.user_id,
          row.status,
          Number(row.units),
          Number(row.total_cents),
          row.currency.trim(),
          new Date(row.created_at).toISOString(),
        ]
          .map(csvField)
          .join(','),
      ),
    ];
    const response = await app.inject({
      method: 'GET',
      url: `/v1/reports/orders.csv?from=${from}&to=${to}`,
      headers: bearer(admin.accessToken),
    });
    expect(response.body).toBe(`${expected.join('\n')}\n`);
    expect(response.body).toContain(',"a,""",2030-06-01T10:00:00.123Z\n');
    const empty = await app.inject({
      method: 'GET',
      url: '/v1/reports/orders.csv?from=1990-01-01T00:00:00Z&to=1990-01-02T00:00:00Z',
      headers: bearer(admin.accessToken),
    });
    expect(empty.body).toBe('id,userId,status,itemCount,totalCents,currency,createdAt\n');
  });

  it('gives the connection up at once when the client disconnects mid-stream, every time: no pool client leaks', async () => {
    const bigFrom = '2031-01-01T00:00:00.000Z';
    const bigTo = '2032-01-01T00:00:00.000Z';
    const BIG = 40_000;
    await seedOrders(dataSource, bigFrom, BIG);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.getHttpServer().address() as { port: number }).port;
    const pool = (
      dataSource.driver as unknown as {
        master: { totalCount: number; idleCount: number; waitingCount: number; options: { max: number } };
      }
    ).master;
    const disconnectAfterFirstChunk = (format: string) =>
      new Promise<void>((resolve, reject) => {
        const request = http.get(
          {
            host: '127.0.0.1',
            port,
            path: `/v1/reports/orders.${format}?from=${bigFrom}&to=${bigTo}`,
            headers: bearer(admin.accessToken),
            agent: false,
          },
          (response) => {
            response.once('data', () => {
              request.destroy();
              resolve();
            });
          },
        );
        request.on('error', (error) =>
          error.message.includes('aborted') || error.message.includes('socket hang up') ? resolve() : reject(error),
        );
      });
    const backends = trackBackends(dataSource);
    // More disconnects than the pool has connections: a leaked client each time would exhaust it.
    const rounds = pool.options.max + 2;
    for (let round = 0; round < rounds; round++) {
      await disconnectAfterFirstChunk(round % 2 === 0 ? 'csv' : 'ndjson');
    }
    await waitFor(
      () => pool.totalCount === pool.idleCount && pool.waitingCount === 0,
      5_000,
      () => JSON.stringify(pool),
    );
    await waitFor(async () => {
      const active = await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid = ANY($1::int[]) AND pid <> pg_backend_pid() AND query LIKE '%FROM orders o%' AND query NOT LIKE '%pg_stat_activity%' AND state <> 'idle'`,
        [[...backends]],
      );
      return active[0].n === 0;
    }, 5_000);
    // The pool still serves: a whole export after them carries every row.
    const whole = await app.inject({
      method: 'GET',
      url: `/v1/reports/orders.csv?from=${bigFrom}&to=${bigTo}`,
      headers: bearer(admin.accessToken),
    });
    expect(whole.statusCode).toBe(200);
    expect(whole.body.trimEnd().split('\n')).toHaveLength(BIG + 1);
  });
});
