import { JobsModule } from '@app/jobs';
import { MessageBus } from '@app/platform';
import { ReportsService } from '@app/reports';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DataSource } from 'typeorm';
import { waitFor } from '../../support/api-process';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { createPlatformContext } from '../../support/platform-context';
import { seedOrders } from '../../support/report-fixtures';
import { createTestApp } from '../../support/test-app';
import { describeWithRabbit } from '../../support/requires';

describeWithRabbit('async reports and the sales rollup through RabbitMQ (e2e)', () => {
  let app: NestFastifyApplication;
  let worker: INestApplicationContext;
  let admin: Session;
  let filesDir: string;

  beforeAll(async () => {
    filesDir = await mkdtemp(path.join(tmpdir(), 'reports-worker-'));
    const env = adminEnv();
    app = await createTestApp({ ...env, FILES_LOCAL_DIR: filesDir });
    // The real worker composition (consumers, crons, outbox relay) on the same servers.
    worker = await createPlatformContext(
      { FILES_LOCAL_DIR: filesDir, BILLING_RENEWALS_ENABLED: 'false' },
      { imports: [JobsModule] },
    );
    admin = await login(app, env.ADMIN_EMAIL);
    await seedOrders(app.get(DataSource), '2032-01-01T00:00:00.000Z', 500);
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
    await rm(filesDir, { recursive: true, force: true });
  });

  it('queues a report, the worker builds it, and the download matches the streamed export', async () => {
    const range = 'from=2032-01-01T00:00:00.000Z&to=2032-02-01T00:00:00.000Z';
    const queued = await app.inject({
      method: 'POST',
      url: '/v1/reports',
      headers: bearer(admin.accessToken),
      payload: { type: 'orders', format: 'csv', from: '2032-01-01T00:00:00.000Z', to: '2032-02-01T00:00:00.000Z' },
    });
    expect(queued.statusCode).toBe(202);
    expect(queued.json().status).toBe('queued');
    const id = queued.json().id;
    let report: { status: string; rowCount: number; sizeBytes: number } = {
      status: 'queued',
      rowCount: 0,
      sizeBytes: 0,
    };
    await waitFor(async () => {
      report = (
        await app.inject({ method: 'GET', url: `/v1/reports/${id}`, headers: bearer(admin.accessToken) })
      ).json();
      return report.status === 'done' || report.status === 'failed';
    }, 20_000);
    expect(report.status).toBe('done');
    expect(report.rowCount).toBe(500);
    const download = await app.inject({
      method: 'GET',
      url: `/v1/reports/${id}/download`,
      headers: bearer(admin.accessToken),
    });
    const direct = await app.inject({
      method: 'GET',
      url: `/v1/reports/orders.csv?${range}`,
      headers: bearer(admin.accessToken),
    });
    expect(download.body).toBe(direct.body);
    expect(report.sizeBytes).toBe(Buffer.byteLength(direct.body));
  });

  it('counts an order.placed delivered twice only once in the daily rollup', async () => {
    const day = '2033-03-0' + String(1 + Math.floor(Math.random() * 8));
    const event = {
      id: randomUUID(),
      type: 'order.placed',
      occurredAt: new Date().toISOString(),
      payload: {
        id: randomUUID(),
        userId: randomUUID(),
        status: 'placed' as const,
        createdAt: `${day}T12:00:00.000Z`,
        currency: 'EUR',
        totalCents: 1234,
        items: [{ productId: randomUUID(), quantity: 2, unitPriceCents: 617 }],
      },
    };
    const bus = app.get(MessageBus);
    await bus.publish(event);
    await bus.publish(event);
    const sales = () =>
      app
        .get(DataSource)
        .query(
          `SELECT orders, units, revenue_cents::int AS revenue FROM daily_sales WHERE day = $1 AND currency = 'EUR'`,
          [day],
        );
    await waitFor(async () => (await sales()).length === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sales()).toEqual([{ orders: 1, units: 2, revenue: 1234 }]);
    const viaApi = await app.inject({
      method: 'GET',
      url: `/v1/reports/sales?from=${day}T00:00:00.000Z&to=2033-04-01T00:00:00.000Z`,
      headers: bearer(admin.accessToken),
    });
    expect(viaApi.json()).toContainEqual({ day, orders: 1, units: 2, revenueCents: '1234', currency: 'EUR' });
    expect(await worker.get(ReportsService).applyOrderEvent(event.id, event.type, event.payload)).toBe(false);
  });
});
