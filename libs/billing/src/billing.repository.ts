import { isUniqueViolation, OutboxRepository } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { InvoiceView, PlanView, SUBSCRIPTION_CANCELED, SUBSCRIPTION_CREATED, SUBSCRIPTION_PLAN_CHANGED, SubscriptionView } from './billing.read-model';
import { InvoicesRepository, NewInvoice } from './invoices.repository';
import { SUBSCRIPTION_COLUMNS, SubscriptionRow, SubscriptionState, toState, toSubscription } from './subscription.rows';

@Injectable()
export class BillingRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly invoices: InvoicesRepository,
  ) {}

  async createPlan(plan: Omit<PlanView, 'id'>): Promise<PlanView | null> {
    const id = uuidv7();
    try {
      await this.dataSource.query(`INSERT INTO plans (id, code, name, price_cents, currency, interval) VALUES ($1, $2, $3, $4, $5, $6)`, [
        id,
        plan.code,
        plan.name,
        plan.priceCents,
        plan.currency,
        plan.interval,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
    return { id, ...plan };
  }

  async listPlans(): Promise<PlanView[]> {
    const rows = await this.dataSource.query<PlanRow[]>(`SELECT id, code, name, price_cents, currency, interval FROM plans WHERE active ORDER BY price_cents, code LIMIT 1000`); // the documented maximum
    return rows.map(toPlan);
  }

  async findPlan(id: string): Promise<PlanView | null> {
    const rows = await this.dataSource.query<PlanRow[]>(`SELECT id, code, name, price_cents, currency, interval FROM plans WHERE id = $1 AND active`, [id]);
    return rows[0] ? toPlan(rows[0]) : null;
  }

  /** The subscription and its first invoice in one transaction; null if a live one exists. */
  async subscribe(userId: string, plan: PlanView, start: Date, end: Date): Promise<{ subscription: SubscriptionView; invoice: InvoiceView } | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const id = uuidv7();
        const rows = await manager.query<SubscriptionRow[]>(
          `INSERT INTO subscriptions (id, user_id, plan_id, status, anchor_at, current_period_start, current_period_end)
           VALUES ($1, $2, $3, 'active', $4, $4, $5) RETURNING ${SUBSCRIPTION_COLUMNS}`,
          [id, userId, plan.id, start, end],
        );
        const subscription = toSubscription(rows[0]);
        const invoice = await this.invoices.insert(manager, subscription, {
          kind: 'initial',
          lines: [{ description: `${plan.code} from ${start.toISOString()} to ${end.toISOString()}`, amountCents: plan.priceCents }],
          currency: plan.currency,
          periodStart: start,
          periodEnd: end,
        });
        await this.outbox.enqueueIn(manager, SUBSCRIPTION_CREATED, { subscription, invoiceId: invoice.id });
        return { subscription, invoice };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
  }

  async findSubscription(id: string, ownerId: string | undefined): Promise<SubscriptionState | null> {
    const rows = await this.dataSource.query<SubscriptionRow[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return rows[0] ? toState(rows[0]) : null;
  }

  async findLive(userId: string): Promise<SubscriptionState | null> {
    const rows = await this.dataSource.query<SubscriptionRow[]>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1 AND status = 'active'`, [userId]);
    return rows[0] ? toState(rows[0]) : null;
  }

  /**
   * Applies a plan change computed on `expected`, only if the subscription is still at
   * that version: a concurrent change, renewal or cancel makes this one 'stale' instead of
   * invoicing on old figures. The UPDATE re-checks the version after waiting for a
   * competing writer's lock, so exactly one of two racing changes wins.
   */
  async changePlan(
    expected: { id: string; version: number; planId: string },
    change: { planId: string; start: Date; end: Date; anchor: Date; at: Date },
    invoice: NewInvoice,
  ): Promise<{ subscription: SubscriptionView; invoice: InvoiceView } | 'stale'> {
    return this.dataSource.transaction(async (manager) => {
      const [updated] = await manager.query<[SubscriptionRow[], number]>(
        `UPDATE subscriptions SET plan_id = $3, anchor_at = $4, current_period_start = $5, current_period_end = $6, last_changed_at = $7,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 AND status = 'active' RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [expected.id, expected.version, change.planId, change.anchor, change.start, change.end, change.at],
      );
      if (!updated[0]) {
        return 'stale';
      }
      const subscription = toSubscription(updated[0]);
      const created = await this.invoices.insert(manager, subscription, invoice);
      await this.outbox.enqueueIn(manager, SUBSCRIPTION_PLAN_CHANGED, { subscription, fromPlanId: expected.planId, invoiceId: created.id });
      return { subscription, invoice: created };
    });
  }

  async cancel(id: string, ownerId: string | undefined, atPeriodEnd: boolean): Promise<SubscriptionView | 'not_found' | 'not_active'> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<SubscriptionRow[]>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) FOR UPDATE`,
        [id, ownerId ?? null],
      );
      const row = rows[0];
      if (!row) {
        return 'not_found';
      }
      if (row.status !== 'active') {
        return 'not_active';
      }
      const [updated] = atPeriodEnd
        ? await manager.query<[SubscriptionRow[], number]>(
            `UPDATE subscriptions SET cancel_at_period_end = true, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
            [id],
          )
        : await manager.query<[SubscriptionRow[], number]>(
            `UPDATE subscriptions SET status = 'canceled', canceled_at = now(), version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
            [id],
          );
      const subscription = toSubscription(updated[0]);
      if (!atPeriodEnd) {
        await this.outbox.enqueueIn(manager, SUBSCRIPTION_CANCELED, { subscription });
      }
      return subscription;
    });
  }
}

interface PlanRow {
  id: string;
  code: string;
  name: string;
  price_cents: number;
  currency: string;
  interval: 'month' | 'year';
}

function toPlan(row: PlanRow): PlanView {
  return { id: row.id, code: row.code, name: row.name, priceCents: row.price_cents, currency: row.currency.trim(), interval: row.interval };
}
