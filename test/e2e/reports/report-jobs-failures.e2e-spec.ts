import { FileStorage } from '@app/files';
import { JobsModule } from '@app/jobs';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { DataSource } from 'typeorm';
import { waitFor } from '../../support/api-process';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { createPlatformContext } from '../../support/platform-context';
import { seedOrders, trackBackends } from '../../support/report-fixtures';
import { createTestApp } from '../../support/test-app';
import { describeWithRabbit } from '../../support/requires';

/**
 * The worker with its statement timeout lowered to 200 ms (production: 15 s). Its file
 * storage is wrapped so that the report's bytes stop for a while after the first chunk,
 * as a slow disk or store would: the export then lasts longer than the timeout. A single
 * cursor statement was cancelled, the error swallowed, and the job hung `running`.
 */
describeWithRabbit('report jobs that outlast the statement timeout or fail mid-way (e2e)', () => {
  const FROM = '2037-01-01T00:00:00.000Z';
  const TO = '2037-02-01T00:00:00.000Z';
  const ORDERS = 10_000;
  let app: NestFastifyApplication;
  let worker: INestApplicationContext;
  let admin: Session;
  let dataSource: DataSource;
  let filesDir: string;
  /** The worker's backends: the other suites of the run export from the same database. */
  let workerBackends: Set<number>;
  /** Runs once per storage write, after its first chunk, before any more bytes pass. */
  let afterFirstChunk: () => Promise<unknown> = () => Promise.resolve();

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'report-jobs-'));
    const env = adminEnv();
    app = await createTestApp({ ...env, FILES_LOCAL_DIR: filesDir });
    admin = await login(app, env.ADMIN_EMAIL);
    dataSource = app.get(DataSource);
    await seedOrders(dataSource, FROM, ORDERS);
    await dataSource.query('ANALYZE orders, order_items');
    worker = await createPlatformContext(
      {
        FILES_LOCAL_DIR: filesDir,
        BILLING_RENEWALS_ENABLED: 'false',
        DB_STATEMENT_TIMEOUT_MS: '200',
        AMQP_RETRY_DELAY_MS: '50',
      },
      { imports: [JobsModule] },
    );
    workerBackends = trackBackends(worker.get(DataSource, { strict: false }));
    const storage = worker.get(FileStorage, { strict: false });
    const write = storage.write.bind(storage);
    storage.write = (key: string, source: Readable) => {
      let first = true;
      const gate = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          if (!first) {
            return callback(null, chunk);
          }
          first = false;
          afterFirstChunk().then(
            () => callback(null, chunk),
            (error: Error) => callback(error),
          );
        },
      });
      // pipeline() hands the source's error on to the gate, as the storage's own pipeline does.
      pipeline(source, gate, () => undefined);
      return write(key, gate);
    };
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  const queue = async (format: 'csv' | 'ndjson') => {
    const queued = await app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(admin.accessToken),
      payload: { type: 'orders', format, from: FROM, to: TO },
    });
    expect(queued.statusCode).toBe(202);
    return queued.json<{ id: string }>().id;
  };
  const row = async (id: string) =>
    (
      await dataSource.query<
        Array<{ status: string; attempts: number; error: string | null; row_count: number | null }>
      >('SELECT status, attempts, error, row_count FROM reports WHERE id = $1', [id])
    )[0];
  const partials = async () => {
    const names = await readdir(filesDir, { recursive: true });
    return names.filter((name) => name.includes('.partial-'));
  };

  it('completes a report that takes longer than the statement timeout, with every row', async () => {
    afterFirstChunk = () => new Promise((resolve) => setTimeout(resolve, 1000));
    const id = await queue('csv');
    await waitFor(async () => ['done', 'failed'].includes((await row(id)).status), 30_000);
    const done = await row(id);
    expect(done).toMatchObject({ status: 'done', attempts: 1, row_count: ORDERS });
    const download = await app.inject({
      method: 'GET',
      url: `/v1/reports/${id}/download`,
      headers: bearer(admin.accessToken),
    });
    const lines = download.body.trimEnd().split('\n');
    expect(lines).toHaveLength(ORDERS + 1);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0])).size).toBe(ORDERS);
    const report = (
      await app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(admin.accessToken) })
    ).json<{ sizeBytes: number }>();
    expect(report.sizeBytes).toBe(Buffer.byteLength(download.body));
  });

  // CSV is one COPY statement, NDJSON batched reads: both must fail the job the same way.
  it.each(['csv', 'ndjson'] as const)(
    'fails a %s report whose database connection dies mid-way: failed with its error after the queue attempts, no partial file',
    async (format) => {
      let kills = 0;
      afterFirstChunk = async () => {
        const killed = await dataSource.query<unknown[]>(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid = ANY($1::int[]) AND pid <> pg_backend_pid() AND query LIKE '%FROM orders o%' AND query NOT LIKE '%pg_stat_activity%'`,
          [[...workerBackends]],
        );
        kills += killed.length;
      };
      const id = await queue(format);
      // The consumer allows 3 deliveries; the report is final once the third one failed.
      await waitFor(async () => {
        const current = await row(id);
        return current.status === 'failed' && current.attempts === 3;
      }, 30_000);
      expect(kills).toBeGreaterThanOrEqual(3);
      const failed = (
        await app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(admin.accessToken) })
      ).json<{ status: string; error?: string }>();
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/terminat/i);
      expect(await partials()).toEqual([]);
      const download = await app.inject({
        method: 'GET',
        url: `/v1/reports/${id}/download`,
        headers: bearer(admin.accessToken),
      });
      expect(download.statusCode).toBe(409);
    },
  );
});
