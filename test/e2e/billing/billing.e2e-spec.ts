import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

describe('billing (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let dataSource: DataSource;
  const plans: Record<string, { id: string; priceCents: number }> = {};

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp({ ...env, BILLING_RENEWALS_ENABLED: 'false' });
    admin = await login(app, env.ADMIN_EMAIL);
    dataSource = app.get(DataSource);
    const tag = randomUUID().slice(0, 6);
    for (const [key, priceCents, interval, currency] of [
      ['basic', 1000, 'month', 'EUR'],
      ['pro', 2000, 'month', 'EUR'],
      ['annual', 10000, 'year', 'EUR'],
      ['dollar', 1500, 'month', 'USD'],
    ] as const) {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/plans',
        headers: bearer(admin.accessToken),
        payload: { code: `${key}-${tag}`, name: key, priceCents, currency, interval },
      });
      expect(response.statusCode).toBe(201);
      plans[key] = response.json();
    }
  });

  afterAll(async () => {
    await app.close();
  });

  const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    app.inject({ method, url, headers: bearer(token), payload });
  const subscribe = async (session: Session, planId: string) => {
    const response = await call('POST', '/v1/subscriptions', session.accessToken, { planId });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string; currentPeriodStart: string; currentPeriodEnd: string }>();
  };
  const invoicesOf = async (subscriptionId: string) =>
    dataSource.query<Array<{ kind: string }>>('SELECT kind FROM invoices WHERE subscription_id = $1', [subscriptionId]);

  it('lists plans publicly (cached)', async () => {
    const first = await app.inject({ method: 'GET', url: '/v1/plans' });
    expect(first.statusCode).toBe(200);
    expect(first.json().map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([plans.basic.id, plans.pro.id]),
    );
    expect((await app.inject({ method: 'GET', url: '/v1/plans' })).headers['x-cache']).toBe('HIT');
  });

  it('subscribes with a first invoice, once: a second live subscription is 409', async () => {
    const customer = await register(app);
    const subscription = await subscribe(customer, plans.basic.id);
    expect(subscription).toMatchObject({ status: 'active', cancelAtPeriodEnd: false, planId: plans.basic.id });
    const invoices = (await call('GET', '/v1/invoices', customer.accessToken)).json();
    expect(invoices.items).toHaveLength(1);
    expect(invoices.items[0]).toMatchObject({
      kind: 'initial',
      totalCents: 1000,
      currency: 'EUR',
      subscriptionId: subscription.id,
    });
    const again = await call('POST', '/v1/subscriptions', customer.accessToken, { planId: plans.pro.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SUBSCRIPTION_EXISTS');
    expect((await call('GET', '/v1/subscriptions/me', customer.accessToken)).json().id).toBe(subscription.id);
    const events = await dataSource.query(
      `SELECT type FROM outbox_messages WHERE payload->'subscription'->>'id' = $1`,
      [subscription.id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual(['subscription.created']);
  });

  it('previews a change without writing, and the change invoices exactly the preview', async () => {
    const customer = await register(app);
    const subscription = await subscribe(customer, plans.basic.id);
    // The period began 10 days ago, so that there is a past `at` within it (an `at` after now is 422).
    await dataSource.query(
      `UPDATE subscriptions SET anchor_at = now() - interval '10 days', current_period_start = now() - interval '10 days',
         current_period_end = now() + interval '20 days' WHERE id = $1`,
      [subscription.id],
    );
    const [{ start, end }] = await dataSource.query<Array<{ start: Date; end: Date }>>(
      'SELECT current_period_start AS start, current_period_end AS end FROM subscriptions WHERE id = $1',
      [subscription.id],
    );
    const at = new Date(Date.now() - 5 * 24 * 3600 * 1000).toISOString();

    const preview = await call(
      'GET',
      `/v1/subscriptions/${subscription.id}/proration-preview?planId=${plans.pro.id}&at=${encodeURIComponent(at)}`,
      customer.accessToken,
    );
    expect(preview.statusCode).toBe(200);
    const lines = preview.json().lines;
    expect(lines).toHaveLength(2);
    const [startMs, endMs] = [new Date(start).getTime(), new Date(end).getTime()];
    expect(lines[0].amountCents).toBe(-Math.round((1000 * (endMs - Date.parse(at))) / (endMs - startMs)));
    expect(await invoicesOf(subscription.id)).toHaveLength(1);

    // Only an admin may choose `at` (a correction); the invoice is exactly the preview.
    const changed = await call('POST', `/v1/subscriptions/${subscription.id}/change-plan`, admin.accessToken, {
      planId: plans.pro.id,
      at,
    });
    expect(changed.statusCode).toBe(200);
    const body = changed.json();
    expect(body.invoice.lines).toEqual(lines);
    expect(body.invoice.totalCents).toBe(preview.json().totalCents);
    expect(body.subscription).toMatchObject({
      planId: plans.pro.id,
      currentPeriodStart: new Date(start).toISOString(),
      currentPeriodEnd: new Date(end).toISOString(),
    });
  });

  it('restarts the period when the interval changes, and refuses another currency or a time outside the period (422)', async () => {
    const customer = await register(app);
    const subscription = await subscribe(customer, plans.basic.id);
    const outside = await call('POST', `/v1/subscriptions/${subscription.id}/change-plan`, admin.accessToken, {
      planId: plans.pro.id,
      at: new Date(Date.parse(subscription.currentPeriodEnd) + 1000).toISOString(),
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('PRORATION_OUTSIDE_PERIOD');
    const currency = await call('POST', `/v1/subscriptions/${subscription.id}/change-plan`, customer.accessToken, {
      planId: plans.dollar.id,
    });
    expect(currency.statusCode).toBe(422);
    expect(currency.json().code).toBe('PLAN_CURRENCY_MISMATCH');

    const annual = await call('POST', `/v1/subscriptions/${subscription.id}/change-plan`, customer.accessToken, {
      planId: plans.annual.id,
    });
    expect(annual.statusCode).toBe(200);
    const { subscription: changed, invoice } = annual.json();
    expect(invoice.lines[1].amountCents).toBe(10000);
    expect(Date.parse(changed.currentPeriodEnd) - Date.parse(changed.currentPeriodStart)).toBeGreaterThan(
      360 * 24 * 3600 * 1000,
    );
  });

  it("answers 404 for another customer's subscription", async () => {
    const owner = await register(app);
    const other = await register(app);
    const subscription = await subscribe(owner, plans.basic.id);
    expect(
      (
        await call(
          'GET',
          `/v1/subscriptions/${subscription.id}/proration-preview?planId=${plans.pro.id}`,
          other.accessToken,
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await call('POST', `/v1/subscriptions/${subscription.id}/change-plan`, other.accessToken, {
          planId: plans.pro.id,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await call('POST', `/v1/subscriptions/${subscription.id}/cancel`, other.accessToken, { atPeriodEnd: false }))
        .statusCode,
    ).toBe(404);
    const invoiceId = (await call('GET', '/v1/invoices', owner.accessToken)).json().items[0].id;
    expect((await call('GET', `/v1/invoices/${invoiceId}`, other.accessToken)).statusCode).toBe(404);
    expect((await call('GET', `/v1/invoices/${invoiceId}`, owner.accessToken)).statusCode).toBe(200);
  });

  it('cancel at period end, then renewal ends it; renewals run twice at once invoice a period once', async () => {
    const leaving = await register(app);
    const staying = await register(app);
    const toCancel = await subscribe(leaving, plans.basic.id);
    const toRenew = await subscribe(staying, plans.basic.id);
    const cancelled = await call('POST', `/v1/subscriptions/${toCancel.id}/cancel`, leaving.accessToken, {
      atPeriodEnd: true,
    });
    expect(cancelled.json()).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });

    // Both periods end a minute ago.
    await dataSource.query(
      `UPDATE subscriptions SET anchor_at = now() - interval '1 month' - interval '1 minute',
         current_period_start = now() - interval '1 month' - interval '1 minute', current_period_end = now() - interval '1 minute'
       WHERE id = ANY($1)`,
      [[toCancel.id, toRenew.id]],
    );
    const runs = await Promise.all([
      call('POST', '/v1/admin/jobs/renewals/run', admin.accessToken),
      call('POST', '/v1/admin/jobs/renewals/run', admin.accessToken),
      call('POST', '/v1/admin/jobs/renewals/run', admin.accessToken),
    ]);
    expect(runs.every((run) => run.statusCode === 200)).toBe(true);
    expect((await invoicesOf(toRenew.id)).filter((row) => row.kind === 'renewal')).toHaveLength(1);
    const renewed = (await call('GET', '/v1/subscriptions/me', staying.accessToken)).json();
    expect(Date.parse(renewed.currentPeriodEnd)).toBeGreaterThan(Date.now());
    expect((await call('GET', '/v1/subscriptions/me', leaving.accessToken)).statusCode).toBe(404);
    const [row] = await dataSource.query('SELECT status FROM subscriptions WHERE id = $1', [toCancel.id]);
    expect(row.status).toBe('canceled');
    expect((await invoicesOf(toCancel.id)).filter((r) => r.kind === 'renewal')).toHaveLength(0);

    expect((await call('POST', '/v1/admin/jobs/renewals/run', leaving.accessToken)).statusCode).toBe(403);
  });

  it('makes a duplicate period invoice impossible in the database itself', async () => {
    const customer = await register(app);
    const subscription = await subscribe(customer, plans.basic.id);
    await expect(
      dataSource.query(
        `INSERT INTO invoices (id, subscription_id, user_id, kind, total_cents, currency, period_start, period_end)
         SELECT $1, subscription_id, user_id, 'renewal', total_cents, currency, period_start, period_end FROM invoices WHERE subscription_id = $2`,
        [randomUUID(), subscription.id],
      ),
    ).rejects.toThrow(/invoices_one_per_period/);
  });

  it('cancels at once (409 a second time)', async () => {
    const customer = await register(app);
    const subscription = await subscribe(customer, plans.basic.id);
    const now = await call('POST', `/v1/subscriptions/${subscription.id}/cancel`, customer.accessToken, {
      atPeriodEnd: false,
    });
    expect(now.json().status).toBe('canceled');
    expect(
      (await call('POST', `/v1/subscriptions/${subscription.id}/cancel`, customer.accessToken, { atPeriodEnd: false }))
        .statusCode,
    ).toBe(409);
    expect((await call('POST', '/v1/subscriptions', customer.accessToken, { planId: plans.pro.id })).statusCode).toBe(
      201,
    );
  });
});
