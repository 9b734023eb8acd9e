import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { seedOrders } from '../../support/report-fixtures';
import { createTestApp } from '../../support/test-app';

/**
 * Exports against a statement timeout lowered to 200 ms (production: 15 s) and a client
 * that stops reading for longer than that, so the server is held by back-pressure
 * mid-export.
 * A single cursor statement was cancelled by the timeout and the client got a short file
 * that looked complete; an export must deliver every row, and a failure mid-stream must
 * abort the connection rather than end it cleanly.
 */
describe('order exports under a low statement timeout (e2e)', () => {
  const FROM = '2035-01-01T00:00:00.000Z';
  const TO = '2036-01-01T00:00:00.000Z';
  const ORDERS = 10_000;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let admin: Session;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp({ ...env, DB_STATEMENT_TIMEOUT_MS: '200' });
    admin = await login(app, env.ADMIN_EMAIL);
    dataSource = app.get(DataSource);
    // The seed itself is one long statement: it alone runs without the lowered timeout.
    await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL statement_timeout = 0');
      await seedOrders(manager as unknown as DataSource, FROM, ORDERS);
      // As autovacuum would: without statistics the planner misjudges the batches' cost.
      await manager.query('ANALYZE orders, order_items');
    });
  });

  afterAll(async () => {
    await app.close();
  });

  interface Download {
    status: number;
    headers: Record<string, unknown>;
    body: Buffer;
    /** true only when the response ended cleanly, false when it was aborted. */
    complete: boolean;
    error?: string;
  }

  /**
   * Reads the first chunk, then stops reading until `whilePaused` is done, then reads the
   * rest. In-process (inject with a streamed payload), so the back-pressure reaches the
   * server after 16 KiB instead of after the socket buffers (about 4 MB on loopback),
   * and a destroyed response shows as an error on the stream, as a reset socket would.
   */
  async function slowDownload(
    format: string,
    encoding: string,
    whilePaused: () => Promise<unknown>,
  ): Promise<Download> {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/reports/orders.${format}?from=${FROM}&to=${TO}`,
      headers: { ...bearer(admin.accessToken), 'accept-encoding': encoding },
      payloadAsStream: true,
    });
    const stream = response.stream();
    const chunks: Buffer[] = [];
    let paused = false;
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        if (!paused) {
          paused = true;
          await whilePaused();
        }
      }
      return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks), complete: true };
    } catch (error) {
      return {
        status: response.statusCode,
        headers: response.headers,
        body: Buffer.concat(chunks),
        complete: false,
        error: (error as Error).message,
      };
    }
  }

  const text = (download: Download, encoding: string) =>
    (encoding === 'gzip' ? gunzipSync(download.body) : download.body).toString();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const cases = [
    ['csv', 'identity'],
    ['csv', 'gzip'],
    ['ndjson', 'identity'],
    ['ndjson', 'gzip'],
  ] as const;

  it.each(cases)(
    '%s (%s) completes with every row although the client paused longer than the statement timeout',
    async (format, encoding) => {
      // Five times the timeout: the single-statement cursor was cancelled during the pause.
      const download = await slowDownload(format, encoding, () => sleep(1000));
      expect(download.status).toBe(200);
      expect(download.headers['content-encoding']).toBe(encoding === 'gzip' ? 'gzip' : undefined);
      expect(download.error).toBeUndefined();
      expect(download.complete).toBe(true);
      const lines = text(download, encoding).trimEnd().split('\n');
      const [{ n }] = await dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM orders WHERE created_at >= $1 AND created_at < $2`,
        [FROM, TO],
      );
      expect(n).toBe(ORDERS);
      expect(lines).toHaveLength(format === 'csv' ? n + 1 : n);
      const ids = lines
        .slice(format === 'csv' ? 1 : 0)
        .map((line) => (format === 'csv' ? line.split(',')[0] : (JSON.parse(line) as { id: string }).id));
      expect(new Set(ids).size).toBe(n);
    },
  );

  it.each(cases)(
    '%s (%s) aborts the connection when the database connection dies mid-stream',
    async (format, encoding) => {
      const terminated: number[] = [];
      const download = await slowDownload(format, encoding, async () => {
        const rows = await dataSource.query<Array<{ pid: number }>>(
          `SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%FROM orders o%' AND query NOT LIKE '%pg_stat_activity%'`,
        );
        terminated.push(...rows.map((row) => row.pid));
      });
      expect(terminated.length).toBeGreaterThan(0);
      expect(download.status).toBe(200);
      expect(download.complete).toBe(false);
      expect(download.error).toBeDefined();
    },
  );
});
