import { isUniqueViolation, OutboxRepository } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { InvoiceView, PlanView, SUBSCRIPTION_CANCELED, SUBSCRIPTION_CREATED, SUBSCRIPTION_PLAN_CHANGED, SubscriptionView } from './billing.read-model';
import type { InvoiceKind } from './invoice.entity';

interface SubscriptionRow {
  id: string;
  user_id: string;
  plan_id: string;
  status: 'active' | 'canceled';
  anchor_at: Date;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
}

export interface SubscriptionState extends SubscriptionView {
  anchorAt: Date;
  periodStart: Date;
  periodEnd: Date;
}

export interface NewInvoice {
  kind: InvoiceKind;
  lines: Array<{ description: string; amountCents: number }>;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
}

const SUBSCRIPTION_COLUMNS = 'id, user_id, plan_id, status, anchor_at, current_period_start, current_period_end, cancel_at_period_end';

@Injectable()
export class BillingRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
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
        const invoice = await this.insertInvoice(manager, subscription, {
          kind: 'initial',
          lines: [{ description: `${plan.code} from ${start.toISOString()} to ${end.toISOString()}`, amountCents: plan.priceCents }],
          currency: plan.currency,
          periodStart: start,
          periodEnd: end,
        });
        await this.outbox.enqueue(manager, SUBSCRIPTION_CREATED, { subscription, invoiceId: invoice.id });
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

  async findLive(userId: string): Promise<SubscriptionView | null> {
    const rows = await this.dataSource.query<SubscriptionRow[]>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1 AND status = 'active'`, [userId]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /**
   * Applies a plan change computed from `expected` (the state the proration was
   * computed on). Under the row lock the state is checked again: a concurrent change
   * or renewal makes this one fail instead of invoicing on stale figures.
   */
  async changePlan(
    expected: SubscriptionState,
    newPlanId: string,
    period: { start: Date; end: Date; anchor: Date },
    invoice: NewInvoice,
  ): Promise<{ subscription: SubscriptionView; invoice: InvoiceView } | 'stale'> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<SubscriptionRow[]>(`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 FOR UPDATE`, [expected.id]);
      const row = rows[0];
      if (
        !row ||
        row.status !== 'active' ||
        row.plan_id !== expected.planId ||
        new Date(row.current_period_start).getTime() !== expected.periodStart.getTime()
      ) {
        return 'stale';
      }
      const [updated] = await manager.query<[SubscriptionRow[], number]>(
        `UPDATE subscriptions SET plan_id = $2, anchor_at = $3, current_period_start = $4, current_period_end = $5, updated_at = now()
          WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [expected.id, newPlanId, period.anchor, period.start, period.end],
      );
      const subscription = toSubscription(updated[0]);
      const created = await this.insertInvoice(manager, subscription, invoice);
      await this.outbox.enqueue(manager, SUBSCRIPTION_PLAN_CHANGED, { subscription, fromPlanId: expected.planId, invoiceId: created.id });
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
            `UPDATE subscriptions SET cancel_at_period_end = true, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
            [id],
          )
        : await manager.query<[SubscriptionRow[], number]>(
            `UPDATE subscriptions SET status = 'canceled', canceled_at = now(), updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
            [id],
          );
      const subscription = toSubscription(updated[0]);
      if (!atPeriodEnd) {
        await this.outbox.enqueue(manager, SUBSCRIPTION_CANCELED, { subscription });
      }
      return subscription;
    });
  }

  /**
   * Claims up to `limit` subscriptions whose period has ended (SKIP LOCKED: parallel
   * runs split the work) and renews or ends each, one period per call. The unique
   * index on (subscription, period start) makes a second invoice for one period
   * impossible even if two runs ever met on the same row.
   */
  async renewDue(
    now: Date,
    limit: number,
    next: (row: { anchorAt: Date; periodEnd: Date; planId: string }) => Promise<{ end: Date; plan: PlanView }>,
  ): Promise<{ renewed: number; canceled: number }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<SubscriptionRow[]>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE status = 'active' AND current_period_end <= $1
          ORDER BY current_period_end LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      let renewed = 0;
      let canceled = 0;
      for (const row of rows) {
        if (row.cancel_at_period_end) {
          const [updated] = await manager.query<[SubscriptionRow[], number]>(
            `UPDATE subscriptions SET status = 'canceled', canceled_at = now(), updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
            [row.id],
          );
          await this.outbox.enqueue(manager, SUBSCRIPTION_CANCELED, { subscription: toSubscription(updated[0]) });
          canceled++;
          continue;
        }
        const start = new Date(row.current_period_end);
        const { end, plan } = await next({ anchorAt: new Date(row.anchor_at), periodEnd: start, planId: row.plan_id });
        const [updated] = await manager.query<[SubscriptionRow[], number]>(
          `UPDATE subscriptions SET current_period_start = $2, current_period_end = $3, updated_at = now() WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
          [row.id, start, end],
        );
        await this.insertInvoice(manager, toSubscription(updated[0]), {
          kind: 'renewal',
          lines: [{ description: `${plan.code} from ${start.toISOString()} to ${end.toISOString()}`, amountCents: plan.priceCents }],
          currency: plan.currency,
          periodStart: start,
          periodEnd: end,
        });
        renewed++;
      }
      return { renewed, canceled };
    });
  }

  async listInvoices(ownerId: string | undefined, limit: number, beforeId?: string): Promise<InvoiceView[]> {
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3`,
      [ownerId ?? null, beforeId ?? null, limit + 1],
    );
    return this.withLines(rows);
  }

  async findInvoice(id: string, ownerId: string | undefined): Promise<InvoiceView | null> {
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return (await this.withLines(rows))[0] ?? null;
  }


  private async insertInvoice(manager: EntityManager, subscription: SubscriptionView, invoice: NewInvoice): Promise<InvoiceView> {
    const id = uuidv7();
    const total = invoice.lines.reduce((sum, line) => sum + line.amountCents, 0);
    const rows = await manager.query<InvoiceRow[]>(
      `INSERT INTO invoices (id, subscription_id, user_id, kind, total_cents, currency, period_start, period_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${INVOICE_COLUMNS}`,
      [id, subscription.id, subscription.userId, invoice.kind, total, invoice.currency, invoice.periodStart, invoice.periodEnd],
    );
    for (const [position, line] of invoice.lines.entries()) {
      await manager.query(`INSERT INTO invoice_lines (invoice_id, position, description, amount_cents) VALUES ($1, $2, $3, $4)`, [
        id,
        position,
        line.description,
        line.amountCents,
      ]);
    }
    return toInvoice(rows[0], invoice.lines);
  }

  private async withLines(rows: InvoiceRow[]): Promise<InvoiceView[]> {
    if (rows.length === 0) {
      return [];
    }
    const lines = await this.dataSource.query<Array<{ invoice_id: string; description: string; amount_cents: string }>>(
      `SELECT invoice_id, description, amount_cents FROM invoice_lines WHERE invoice_id = ANY($1::uuid[]) ORDER BY invoice_id, position`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      toInvoice(
        row,
        lines.filter((line) => line.invoice_id === row.id).map((line) => ({ description: line.description, amountCents: Number(line.amount_cents) })),
      ),
    );
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

interface InvoiceRow {
  id: string;
  subscription_id: string;
  kind: InvoiceKind;
  total_cents: string;
  currency: string;
  period_start: Date;
  period_end: Date;
  created_at: Date;
}

const INVOICE_COLUMNS = 'id, subscription_id, kind, total_cents, currency, period_start, period_end, created_at';

function toPlan(row: PlanRow): PlanView {
  return { id: row.id, code: row.code, name: row.name, priceCents: row.price_cents, currency: row.currency.trim(), interval: row.interval };
}

function toSubscription(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    userId: row.user_id,
    planId: row.plan_id,
    status: row.status,
    currentPeriodStart: new Date(row.current_period_start).toISOString(),
    currentPeriodEnd: new Date(row.current_period_end).toISOString(),
    cancelAtPeriodEnd: row.cancel_at_period_end,
  };
}

function toState(row: SubscriptionRow): SubscriptionState {
  return {
    ...toSubscription(row),
    anchorAt: new Date(row.anchor_at),
    periodStart: new Date(row.current_period_start),
    periodEnd: new Date(row.current_period_end),
  };
}

function toInvoice(row: InvoiceRow, lines: Array<{ description: string; amountCents: number }>): InvoiceView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    lines,
    totalCents: Number(row.total_cents),
    currency: row.currency.trim(),
    periodStart: new Date(row.period_start).toISOString(),
    periodEnd: new Date(row.period_end).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
