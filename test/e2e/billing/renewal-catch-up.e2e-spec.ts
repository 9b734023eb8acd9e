import { DataSource } from 'typeorm';
import { register } from '../../support/auth-helpers';
import {
  backdateMonthly,
  billingWorld,
  BillingWorld,
  call,
  invoiceRows,
  subscribe,
  SubscriptionBody,
} from './billing-fixtures';

/** The issue: renewals caught up one period per run (34 periods behind took 35 runs). */
describe('renewals bring a subscription current in one run (e2e)', () => {
  let world: BillingWorld;
  let dataSource: DataSource;

  beforeAll(async () => {
    world = await billingWorld();
    dataSource = world.dataSource;
  });

  afterAll(async () => {
    await world.app.close();
  });

  const runRenewals = () => call(world.app, 'POST', '/v1/admin/jobs/renewals/run', world.admin.accessToken);
  const renewals = async (subscriptionId: string) =>
    (await invoiceRows(dataSource, subscriptionId)).filter((row) => row.kind === 'renewal');
  const storedPeriod = async (subscriptionId: string) => {
    const [row] = await dataSource.query<
      Array<{ current_period_start: Date; current_period_end: Date; status: string }>
    >('SELECT current_period_start, current_period_end, status FROM subscriptions WHERE id = $1', [subscriptionId]);
    return {
      start: new Date(row.current_period_start).getTime(),
      end: new Date(row.current_period_end).getTime(),
      status: row.status,
    };
  };
  const expectCurrent = (period: { start: number; end: number }) => {
    const now = Date.now();
    expect(period.start).toBeLessThanOrEqual(now);
    expect(period.end).toBeGreaterThan(now);
  };
  /** Each owed period invoiced once, back to back, from the stored period's end up to the one holding now. */
  const expectContiguous = (
    rows: Array<{ periodStart: Date; periodEnd: Date; totalCents: number }>,
    firstStart: number,
  ) => {
    let start = firstStart;
    for (const row of rows) {
      expect(row.periodStart.getTime()).toBe(start);
      expect(row.totalCents).toBe(world.plans.basic.priceCents);
      start = row.periodEnd.getTime();
    }
  };

  it('invoices all 34 owed periods in one run', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    await backdateMonthly(dataSource, subscription.id, 34);
    const firstOwed = (await storedPeriod(subscription.id)).end;

    expect((await runRenewals()).statusCode).toBe(200);
    const rows = await renewals(subscription.id);
    expect(rows).toHaveLength(34);
    expectContiguous(rows, firstOwed);
    expectCurrent(await storedPeriod(subscription.id));
    expect((await runRenewals()).statusCode).toBe(200);
    expect(await renewals(subscription.id)).toHaveLength(34);
  });

  it('still invoices 34, not more, when two runs go at once', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    await backdateMonthly(dataSource, subscription.id, 34);
    const runs = await Promise.all([runRenewals(), runRenewals()]);
    expect(runs.map((run) => run.statusCode)).toEqual([200, 200]);
    expect(await renewals(subscription.id)).toHaveLength(34);
    expectCurrent(await storedPeriod(subscription.id));
  });

  it('treats a subscription as renewed between its period end and the run: reads, preview and change-plan', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    await backdateMonthly(dataSource, subscription.id, 3);

    const mine = await call(world.app, 'GET', '/v1/subscriptions/me', customer.accessToken);
    expect(mine.statusCode).toBe(200);
    const shown = mine.json<SubscriptionBody>();
    expectCurrent({ start: Date.parse(shown.currentPeriodStart), end: Date.parse(shown.currentPeriodEnd) });
    const preview = await call(
      world.app,
      'GET',
      `/v1/subscriptions/${subscription.id}/proration-preview?planId=${world.plans.pro.id}`,
      customer.accessToken,
    );
    expect(preview.statusCode).toBe(200);
    expect(await renewals(subscription.id)).toHaveLength(0); // reads write nothing

    const changed = await call(
      world.app,
      'POST',
      `/v1/subscriptions/${subscription.id}/change-plan`,
      customer.accessToken,
      { planId: world.plans.pro.id },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json().subscription).toMatchObject({
      currentPeriodStart: shown.currentPeriodStart,
      currentPeriodEnd: shown.currentPeriodEnd,
    });
    expect(await renewals(subscription.id)).toHaveLength(3);
    expect((await runRenewals()).statusCode).toBe(200);
    expect(await renewals(subscription.id)).toHaveLength(3);
  });

  it('ends a subscription set to cancel at period end, however far behind, without renewing it', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    await call(world.app, 'POST', `/v1/subscriptions/${subscription.id}/cancel`, customer.accessToken, {
      atPeriodEnd: true,
    });
    await backdateMonthly(dataSource, subscription.id, 5);
    expect((await call(world.app, 'GET', '/v1/subscriptions/me', customer.accessToken)).statusCode).toBe(404);
    expect((await runRenewals()).statusCode).toBe(200);
    expect((await storedPeriod(subscription.id)).status).toBe('canceled');
    expect(await renewals(subscription.id)).toHaveLength(0);
  });
});
