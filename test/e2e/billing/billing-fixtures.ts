import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

export interface BillingWorld {
  app: NestFastifyApplication;
  admin: Session;
  dataSource: DataSource;
  plans: Record<'basic' | 'pro' | 'annual', { id: string; priceCents: number }>;
}

export interface SubscriptionBody {
  id: string;
  planId: string;
  status: string;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  cancelAtPeriodEnd: boolean;
}

/**
 * An app with the cron off (tests run renewals through the admin route) and three EUR
 * plans. `overrides`: variables for this app only (another database, a pooler).
 */
export async function billingWorld(overrides: Record<string, string> = {}): Promise<BillingWorld> {
  const env = adminEnv();
  const app = await createTestApp({ ...env, BILLING_RENEWALS_ENABLED: 'false', ...overrides });
  const admin = await login(app, env.ADMIN_EMAIL);
  const tag = randomUUID().slice(0, 6);
  const plans = {} as BillingWorld['plans'];
  for (const [key, priceCents, interval] of [
    ['basic', 1000, 'month'],
    ['pro', 10_000, 'month'],
    ['annual', 50_000, 'year'],
  ] as const) {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: bearer(admin.accessToken),
      payload: { code: `${key}-${tag}`, name: key, priceCents, currency: 'EUR', interval },
    });
    if (response.statusCode !== 201) {
      throw new Error(`create plan: ${response.statusCode} ${response.body}`);
    }
    plans[key] = response.json();
  }
  return { app, admin, dataSource: app.get(DataSource), plans };
}

export function call(
  app: NestFastifyApplication,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  payload?: object,
) {
  return app.inject({ method, url, headers: bearer(token), payload });
}

export async function subscribe(
  app: NestFastifyApplication,
  session: Session,
  planId: string,
): Promise<SubscriptionBody> {
  const response = await call(app, 'POST', '/v1/subscriptions', session.accessToken, { planId });
  if (response.statusCode !== 201) {
    throw new Error(`subscribe: ${response.statusCode} ${response.body}`);
  }
  return response.json();
}

export async function invoiceRows(dataSource: DataSource, subscriptionId: string) {
  const rows = await dataSource.query<
    Array<{ kind: string; total_cents: string; period_start: Date; period_end: Date }>
  >(
    'SELECT kind, total_cents, period_start, period_end FROM invoices WHERE subscription_id = $1 ORDER BY period_start, created_at',
    [subscriptionId],
  );
  return rows.map((row) => ({
    kind: row.kind,
    totalCents: Number(row.total_cents),
    periodStart: new Date(row.period_start),
    periodEnd: new Date(row.period_end),
  }));
}

/** Moves a monthly subscription's anchor and first period back: its first period started `monthsAgo` months and `minutesAgo` minutes ago. */
export async function backdateMonthly(
  dataSource: DataSource,
  subscriptionId: string,
  monthsAgo: number,
  minutesAgo = 1,
): Promise<void> {
  await dataSource.query(
    `UPDATE subscriptions SET anchor_at = now() - make_interval(months => $2) - make_interval(mins => $3),
       current_period_start = now() - make_interval(months => $2) - make_interval(mins => $3),
       current_period_end = now() - make_interval(months => $2) - make_interval(mins => $3) + interval '1 month'
     WHERE id = $1`,
    [subscriptionId, monthsAgo, minutesAgo],
  );
}
