import { databaseConfig } from '@app/platform';
import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { waitFor } from '../../support/api-process';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { seedOrders, trackBackends } from '../../support/report-fixtures';
import { createTestApp } from '../../support/test-app';

/**
 * Exports against a statement timeout lowered to 200 ms (production: 15 s) and a client
 * that stops reading for longer than that, so the server is held by back-pressure
 * mid-export.
 * A single cursor statement was cancelled by the timeout and the client got a short file
 * that looked complete; an export must deliver every row, and a failure mid-stream must
 * abort the connection rather than end it cleanly. CSV is one COPY statement in a
 * transaction with its own timeout (DB_EXPORT_STATEMENT_TIMEOUT_MS); NDJSON reads batches.
 */
describe('order exports under a low statement timeout (e2e)', () => {
  const FROM = '2035-01-01T00:00:00.000Z';
  const TO = '2036-01-01T00:00:00.000Z';
  const ORDERS = 10_000;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let admin: Session;
  /** This app's backends: the other suites of the run export from the same database. */
  let backends: Set<number>;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp({ ...env, DB_STATEMENT_TIMEOUT_MS: '200' });
    admin = await login(app, env.ADMIN_EMAIL);
    dataSource = app.get(DataSource);
    backends = trackBackends(dataSource);
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
    range = `from=${FROM}&to=${TO}`,
  ): Promise<Download> {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/reports/orders.${format}?${range}`,
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
      const terminated: string[] = [];
      const download = await slowDownload(format, encoding, async () => {
        const rows = await dataSource.query<Array<{ query: string }>>(
          `SELECT pg_terminate_backend(pid), query FROM pg_stat_activity
          WHERE datname = current_database() AND pid = ANY($1::int[]) AND pid <> pg_backend_pid() AND query LIKE '%FROM orders o%' AND query NOT LIKE '%pg_stat_activity%'`,
          [[...backends]],
        );
        terminated.push(...rows.map((row) => row.query.trim()));
      });
      expect(terminated.length).toBeGreaterThan(0);
      // CSV is the COPY path, NDJSON the batched reads.
      for (const query of terminated) {
        expect(query.startsWith('COPY')).toBe(format === 'csv');
      }
      expect(download.status).toBe(200);
      expect(download.complete).toBe(false);
      expect(download.error).toBeDefined();
    },
  );

  /**
   * 10,000 rows fit in the socket buffers, so the COPY above may be over on the server
   * before the pause ends. Here the rows are many more than the buffers hold: the COPY
   * statement is still running (held by back-pressure) after the pause.
   */
  describe('a COPY held open by a paused client', () => {
    const BIG_FROM = '2038-01-01T00:00:00.000Z';
    const BIG_TO = '2039-01-01T00:00:00.000Z';
    const BIG_ORDERS = 150_000;

    beforeAll(async () => {
      await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL statement_timeout = 0');
        await seedOrders(manager as unknown as DataSource, BIG_FROM, BIG_ORDERS);
        await manager.query('ANALYZE orders, order_items');
      });
    });

    const runningCopies = (pids: Set<number>) =>
      dataSource.query<Array<{ pid: number }>>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND pid = ANY($1::int[]) AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%COPY%FROM orders o%' AND query NOT LIKE '%pg_stat_activity%'`,
        [[...pids]],
      );

    it('outlives the per-statement timeout and delivers every row', async () => {
      let running: Array<{ pid: number }> = [];
      const download = await slowDownload(
        'csv',
        'identity',
        async () => {
          await sleep(1000);
          running = await runningCopies(backends);
        },
        `from=${BIG_FROM}&to=${BIG_TO}`,
      );
      // Still one running statement after five times the 200 ms statement timeout.
      expect(running).toHaveLength(1);
      expect(download.error).toBeUndefined();
      expect(download.complete).toBe(true);
      const lines = download.body.toString().trimEnd().split('\n');
      expect(lines).toHaveLength(BIG_ORDERS + 1);
      expect(new Set(lines.slice(1).map((line) => line.split(',')[0])).size).toBe(BIG_ORDERS);
    });

    it('is cut by the export timeout of its own transaction: never a clean, complete answer', async () => {
      const env = adminEnv();
      const strict = await createTestApp({
        ...env,
        DB_STATEMENT_TIMEOUT_MS: '0',
        DB_EXPORT_STATEMENT_TIMEOUT_MS: '300',
      });
      const strictBackends = trackBackends(strict.get(DataSource));
      try {
        expect(strict.get<ConfigType<typeof databaseConfig>>(databaseConfig.KEY).exportStatementTimeoutMs).toBe(300);
        const session = await login(strict, env.ADMIN_EMAIL);
        const response = await strict.inject({
          method: 'GET',
          url: `/v1/reports/orders.csv?from=${BIG_FROM}&to=${BIG_TO}`,
          headers: bearer(session.accessToken),
          payloadAsStream: true,
        });
        let paused = false;
        const read = async () => {
          for await (const chunk of response.stream()) {
            void chunk;
            if (!paused) {
              paused = true;
              await sleep(1000);
            }
          }
        };
        const outcome = await read().then(
          () => 'ended',
          () => 'aborted',
        );
        // The timeout may land before the first row (the planner may sort the whole range
        // first, or JIT-compile the query): then the answer is a 503 (the database did not
        // answer in time; never a 500). After it, the stream is aborted. Never a 200 that
        // ends as if complete.
        if (response.statusCode === 200) {
          expect(outcome).toBe('aborted');
        } else {
          expect(response.statusCode).toBe(503);
        }
        await waitFor(async () => (await runningCopies(strictBackends)).length === 0, 5_000);
      } finally {
        await strict.close();
      }
    });
  });
});
