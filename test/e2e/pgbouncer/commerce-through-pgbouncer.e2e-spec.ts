import { RenewalsCron } from '@app/billing';
import { JobsModule } from '@app/jobs';
import type { JobSchedule } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../../support/api-process';
import { bearer, login, register, Session } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../../support/commerce-fixtures';
import { PgBouncer } from '../../support/pgbouncer';
import { createPlatformContext } from '../../support/platform-context';
import { describeWithPgBouncer, describeWithRabbit } from '../../support/requires';
import { createIsolatedDatabase } from '../../support/test-database';
import { backdateMonthly, billingWorld, BillingWorld, call, invoiceRows, subscribe } from '../billing/billing-fixtures';

/**
 * The production shape with DATABASE_URL on a PgBouncer in transaction pooling: the API
 * (which migrates the fresh database at start) and the worker (JobsModule on RabbitMQ:
 * the outbox relay, the consumers, the crons), each with its own pool. A database,
 * exchange and queues of their own, so the worker's relay carries no other spec's events.
 */
describeWithPgBouncer('the commerce path through PgBouncer in transaction pooling (e2e)', () => {
  describeWithRabbit('API and worker', () => {
    let bouncer: PgBouncer;
    let database: { url: string; drop(): Promise<void> };
    let world: BillingWorld;
    let worker: INestApplicationContext;
    let customer: Session;

    beforeAll(async () => {
      bouncer = await PgBouncer.start(process.env.TEST_SERVER_DATABASE_URL!);
      database = await createIsolatedDatabase('pgbouncer_journey');
      const env = {
        DATABASE_URL: bouncer.url(database.url),
        DATABASE_POOLER: 'pgbouncer',
        AMQP_NAME_PREFIX: `${process.env.AMQP_NAME_PREFIX ?? 'commerce'}.p${randomUUID().slice(0, 8)}`,
        AMQP_QUEUE_EXPIRES_MS: '60000',
      };
      world = await billingWorld(env);
      worker = await createPlatformContext({ ...env, BILLING_RENEWALS_ENABLED: 'false' }, { imports: [JobsModule] });
      const registered = await register(world.app);
      customer = await login(world.app, registered.user.email);
    });

    afterAll(async () => {
      await worker?.close();
      await world?.app.close();
      await bouncer?.stop();
      await database?.drop();
    });

    it('places an order with an Idempotency-Key, replays it, and the worker rolls it up from the outbox', async () => {
      const { app, admin, dataSource } = world;
      const product = await createProduct(app, admin.accessToken, { priceCents: 1000 });
      const warehouse = await createWarehouse(app, admin.accessToken);
      await addStock(app, admin.accessToken, product.id, warehouse.id, 5);
      const key = randomUUID();
      const placed = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 2 }], key);
      expect(placed.statusCode).toBe(201);
      const replay = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 2 }], key);
      expect(replay.statusCode).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json().id).toBe(placed.json().id);

      // Relayed by the worker's outbox relay, consumed by its sales rollup: once.
      const today = new Date().toISOString().slice(0, 10);
      let rollup: Array<{ orders: number; units: number; revenue: number }> = [];
      await waitFor(
        async () =>
          (rollup = await dataSource.query(
            `SELECT orders, units, revenue_cents::int AS revenue FROM daily_sales WHERE day = $1 AND currency = 'EUR'`,
            [today],
          )).length > 0,
        20_000,
        () => 'no daily_sales row: the worker did not consume order.placed',
      );
      expect(rollup).toEqual([{ orders: 1, units: 2, revenue: 2000 }]);
    });

    it('exports the orders as CSV (COPY in a read-only transaction) and NDJSON (keyset batches)', async () => {
      const { app, admin } = world;
      const [order] = await world.dataSource.query<Array<{ id: string }>>('SELECT id FROM orders');
      const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
      const csv = await app.inject({ url: `/v1/reports/orders.csv?${range}`, headers: bearer(admin.accessToken) });
      expect(csv.statusCode).toBe(200);
      expect(csv.body.trimEnd().split('\n').slice(1)).toEqual([expect.stringMatching(new RegExp(`^${order.id},`))]);
      const ndjson = await app.inject({
        url: `/v1/reports/orders.ndjson?${range}`,
        headers: bearer(admin.accessToken),
      });
      expect(ndjson.statusCode).toBe(200);
      expect(
        ndjson.body
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line).id),
      ).toEqual([order.id]);
    });

    it('subscribes, changes plan, and the renewal cron runs once through ExclusiveJobRunner', async () => {
      const { app, dataSource, plans } = world;
      const subscription = await subscribe(app, customer, plans.basic.id);
      const changed = await call(
        app,
        'POST',
        `/v1/subscriptions/${subscription.id}/change-plan`,
        customer.accessToken,
        {
          planId: plans.pro.id,
        },
      );
      expect(changed.statusCode).toBe(200);
      await backdateMonthly(dataSource, subscription.id, 1);

      // Two ticks at once, as two workers' timers would fire: one run, one renewal.
      const schedule: JobSchedule = { name: 'billing.renewals', cron: '0 * * * * *' };
      const cron = worker.get(RenewalsCron);
      await Promise.all([cron.tick(schedule), cron.tick(schedule)]);
      const renewals = (await invoiceRows(dataSource, subscription.id)).filter((row) => row.kind === 'renewal');
      expect(renewals.map((row) => row.totalCents)).toEqual([plans.pro.priceCents]);
      const [runs] = await dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM job_runs WHERE job = 'billing.renewals'`,
      );
      expect(runs.n).toBeGreaterThanOrEqual(1);

      const pools = await bouncer.admin<{ database: string; pool_mode: string }>('SHOW POOLS');
      const name = new URL(database.url).pathname.slice(1);
      expect(pools.filter((pool) => pool.database === name).map((pool) => pool.pool_mode)).toEqual(['transaction']);
    });
  });
});
