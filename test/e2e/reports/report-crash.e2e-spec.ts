import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { RunningProcess, startBuiltApp, waitFor } from '../../support/api-process';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { seedOrders } from '../../support/report-fixtures';
import { startS3Server } from '../../support/s3-server';
import { TcpProxy } from '../../support/tcp-proxy';
import { createTestApp } from '../../support/test-app';
import { describeWithRabbit } from '../../support/requires';

/**
 * A worker process killed in the middle of building a report: RabbitMQ hands the
 * unacknowledged message to the next worker, which rebuilds the file from scratch.
 * The first worker reaches S3 through a proxy that holds the storage's answers, so
 * the kill lands deterministically while the job is running (status `running`,
 * upload in flight), not before it started or after it finished.
 */
describeWithRabbit('async report: a consumer killed mid-job (process level)', () => {
  const BUCKET = 'reports-crash';
  const FROM = '2034-01-01T00:00:00.000Z';
  const TO = '2034-02-01T00:00:00.000Z';
  const ORDERS = 3000;
  let s3: { endpoint: string; stop(): Promise<void> };
  let storageProxy: TcpProxy;
  let app: NestFastifyApplication;
  let admin: Session;
  const workers: RunningProcess[] = [];

  const s3Env = (endpoint: string) => ({
    FILES_STORAGE: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const startWorker = async (endpoint: string) => {
    const worker = await startBuiltApp('worker', { ...s3Env(endpoint), BILLING_RENEWALS_ENABLED: 'false' });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    s3 = await startS3Server(BUCKET);
    storageProxy = await new TcpProxy('127.0.0.1', Number(new URL(s3.endpoint).port)).start();
    const env = adminEnv();
    app = await createTestApp({ ...env, ...s3Env(s3.endpoint) });
    admin = await login(app, env.ADMIN_EMAIL);
    await seedOrders(app.get(DataSource), FROM, ORDERS);
  });

  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    await app.close();
    await storageProxy.stop();
    await s3.stop();
  });

  const report = async (id: string) =>
    (await app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(admin.accessToken) })).json<{
      status: string;
      rowCount: number;
      attempts?: number;
    }>();

  it('is redelivered to another worker, which writes the complete, correct file', async () => {
    storageProxy.pause();
    const first = await startWorker(`http://127.0.0.1:${storageProxy.port}`);

    const queued = await app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(admin.accessToken),
      payload: { type: 'orders', format: 'csv', from: FROM, to: TO },
    });
    expect(queued.statusCode).toBe(202);
    const id = queued.json<{ id: string }>().id;

    // Mid-job: the worker marked it running and is waiting on the storage.
    let seen = '';
    await waitFor(
      async () => {
        seen = (await report(id)).status;
        return seen === 'running' && storageProxy.connectionCount > 0;
      },
      20_000,
      () =>
        `status ${seen}, storage connections ${storageProxy.connectionCount}\n${first
          .output()
          .split('\n')
          .filter((l) => !l.includes('InstanceLoader') && !l.includes('RouterExplorer'))
          .join('\n')}`,
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    expect((await report(id)).status).toBe('running');

    storageProxy.resume();
    const second = await startWorker(s3.endpoint);
    await waitFor(async () => ['done', 'failed'].includes((await report(id)).status), 30_000, second.output);
    const done = await report(id);
    expect(done.status).toBe('done');
    expect(done.rowCount).toBe(ORDERS);

    const download = await app.inject({
      method: 'GET',
      url: `/v1/reports/${id}/download`,
      headers: bearer(admin.accessToken),
    });
    const direct = await app.inject({
      method: 'GET',
      url: `/v1/reports/orders.csv?from=${FROM}&to=${TO}`,
      headers: bearer(admin.accessToken),
    });
    expect(download.statusCode).toBe(200);
    expect(download.body.trimEnd().split('\n')).toHaveLength(ORDERS + 1);
    expect(download.body).toBe(direct.body);
  });
});
