import { DataSource } from 'typeorm';
import { register } from '../../support/auth-helpers';
import { billingWorld, BillingWorld, call, invoiceRows, subscribe } from './billing-fixtures';

const DAY = 24 * 60 * 60 * 1000;

/** The issue: owners billed themselves a credit by choosing `at`; a future `at` wedged later changes. */
describe('change-plan: who may choose `at`, and within what (e2e)', () => {
  let world: BillingWorld;
  let dataSource: DataSource;

  beforeAll(async () => {
    world = await billingWorld();
    dataSource = world.dataSource;
  });

  afterAll(async () => {
    await world.app.close();
  });

  const changePlan = (token: string, subscriptionId: string, payload: { planId: string; at?: string }) =>
    call(world.app, 'POST', `/v1/subscriptions/${subscriptionId}/change-plan`, token, payload);
  const invoiceSum = async (subscriptionId: string) =>
    (await invoiceRows(dataSource, subscriptionId)).reduce((sum, row) => sum + row.totalCents, 0);
  /** The period started 10 days ago and ends in 20, so that there is a past to back-date into. */
  const startedTenDaysAgo = (subscriptionId: string) =>
    dataSource.query(
      `UPDATE subscriptions SET anchor_at = now() - interval '10 days', current_period_start = now() - interval '10 days',
         current_period_end = now() + interval '20 days' WHERE id = $1`,
      [subscriptionId],
    );

  it('replays the attack: an owner passing `at` is 403 and nothing is invoiced; owner changes (now) never sum below zero', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    const end = Date.parse(subscription.currentPeriodEnd);

    // To the expensive plan at the period's last millisecond (0/0), then back at its start: was a -9,001 invoice.
    const last = await changePlan(customer.accessToken, subscription.id, {
      planId: world.plans.pro.id,
      at: new Date(end - 1).toISOString(),
    });
    expect(last.statusCode).toBe(403);
    expect(last.json().code).toBe('BILLING_AT_ADMIN_ONLY');
    const back = await changePlan(customer.accessToken, subscription.id, {
      planId: world.plans.pro.id,
      at: subscription.currentPeriodStart,
    });
    expect(back.statusCode).toBe(403);
    // A future `at` (which used to push the period start forward) is refused the same way.
    const future = await changePlan(customer.accessToken, subscription.id, {
      planId: world.plans.annual.id,
      at: new Date(Date.now() + 5 * DAY).toISOString(),
    });
    expect(future.statusCode).toBe(403);
    expect(await invoiceRows(dataSource, subscription.id)).toHaveLength(1);

    // Every sequence an owner can make now: each change at "now", which only moves forward.
    const sequence = ['pro', 'basic', 'pro', 'annual', 'basic', 'annual', 'pro', 'basic'] as const;
    for (const key of sequence) {
      const changed = await changePlan(customer.accessToken, subscription.id, { planId: world.plans[key].id });
      expect(changed.statusCode).toBe(200);
      expect(await invoiceSum(subscription.id)).toBeGreaterThanOrEqual(0);
    }
    expect(await invoiceRows(dataSource, subscription.id)).toHaveLength(1 + sequence.length);
  });

  it('lets an admin back-date, never before the last change nor after now (422), and refuses the current plan (422)', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    await startedTenDaysAgo(subscription.id);
    const admin = world.admin.accessToken;
    const fiveDaysAgo = new Date(Date.now() - 5 * DAY).toISOString();

    const same = await changePlan(customer.accessToken, subscription.id, { planId: world.plans.basic.id });
    expect(same.statusCode).toBe(422);
    expect(same.json().code).toBe('PLAN_UNCHANGED');

    const ahead = await changePlan(admin, subscription.id, {
      planId: world.plans.pro.id,
      at: new Date(Date.now() + DAY).toISOString(),
    });
    expect(ahead.statusCode).toBe(422);
    expect(ahead.json().code).toBe('PRORATION_OUTSIDE_PERIOD');

    const corrected = await changePlan(admin, subscription.id, { planId: world.plans.pro.id, at: fiveDaysAgo });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json().invoice.periodStart).toBe(fiveDaysAgo);

    // Back past the change just made: the credit-the-expensive-plan half of the attack.
    const beforeLast = await changePlan(admin, subscription.id, {
      planId: world.plans.basic.id,
      at: new Date(Date.now() - 7 * DAY).toISOString(),
    });
    expect(beforeLast.statusCode).toBe(422);
    expect(beforeLast.json().code).toBe('PRORATION_OUTSIDE_PERIOD');
    const preview = await call(
      world.app,
      'GET',
      `/v1/subscriptions/${subscription.id}/proration-preview?planId=${world.plans.basic.id}&at=${encodeURIComponent(new Date(Date.now() - 7 * DAY).toISOString())}`,
      customer.accessToken,
    );
    expect(preview.statusCode).toBe(422);
    expect(preview.json().code).toBe('PRORATION_OUTSIDE_PERIOD');
    expect(await invoiceRows(dataSource, subscription.id)).toHaveLength(2);

    // After the last change is fine, and the sum stays what the customer used.
    const later = await changePlan(admin, subscription.id, {
      planId: world.plans.basic.id,
      at: new Date(Date.now() - 2 * DAY).toISOString(),
    });
    expect(later.statusCode).toBe(200);
    expect(await invoiceSum(subscription.id)).toBeGreaterThan(0);
  });

  it('previews with `at` for the owner within the same window, and an admin change at that `at` invoices exactly the preview', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    await startedTenDaysAgo(subscription.id);
    const at = new Date(Date.now() - 3 * DAY).toISOString();
    const preview = await call(
      world.app,
      'GET',
      `/v1/subscriptions/${subscription.id}/proration-preview?planId=${world.plans.pro.id}&at=${encodeURIComponent(at)}`,
      customer.accessToken,
    );
    expect(preview.statusCode).toBe(200);
    const changed = await changePlan(world.admin.accessToken, subscription.id, { planId: world.plans.pro.id, at });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().invoice.lines).toEqual(preview.json().lines);
    const future = await call(
      world.app,
      'GET',
      `/v1/subscriptions/${subscription.id}/proration-preview?planId=${world.plans.basic.id}&at=${encodeURIComponent(new Date(Date.now() + DAY).toISOString())}`,
      customer.accessToken,
    );
    expect(future.statusCode).toBe(422);
  });

  it('two concurrent changes: one 200, one 409 SUBSCRIPTION_CHANGED_CONCURRENTLY, one invoice', async () => {
    const customer = await register(world.app);
    const subscription = await subscribe(world.app, customer, world.plans.basic.id);
    // Hold the row so that both requests have read the same state before either writes.
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE', [subscription.id]);
      const racing = Promise.all([
        changePlan(customer.accessToken, subscription.id, { planId: world.plans.pro.id }),
        changePlan(world.admin.accessToken, subscription.id, { planId: world.plans.annual.id }),
      ]);
      await waitForLockWaiters(dataSource, 2);
      await holder.commitTransaction();
      const responses = await racing;
      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
      expect(responses.find((response) => response.statusCode === 409)?.json().code).toBe(
        'SUBSCRIPTION_CHANGED_CONCURRENTLY',
      );
    } finally {
      if (holder.isTransactionActive) {
        await holder.rollbackTransaction();
      }
      await holder.release();
    }
    expect((await invoiceRows(dataSource, subscription.id)).filter((row) => row.kind === 'proration')).toHaveLength(1);
  });
});

/** Polls until `count` sessions of this database wait on a lock (no timing assumption). */
async function waitForLockWaiters(dataSource: DataSource, count: number): Promise<void> {
  for (;;) {
    const [row] = await dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row.n >= count) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
