import { OutboxRepository } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SUBSCRIPTION_CANCELED } from './billing.read-model';
import { InvoicesRepository, NewInvoice } from './invoices.repository';
import { SUBSCRIPTION_COLUMNS, SubscriptionRow, SubscriptionState, toState, toSubscription } from './subscription.rows';

/** What the service decided for a due subscription: end it, or invoice every owed period (in order). */
export type RenewalDecision = { kind: 'cancel' } | { kind: 'renew'; invoices: NewInvoice[] };

export interface RenewalBatch {
  claimed: number;
  renewed: number;
  canceled: number;
  invoiced: number;
}

/**
 * Brings due subscriptions current. Every path holds the subscription's row lock while it
 * decides and writes, and selects only rows still due under that lock, so a period is
 * invoiced once however many runs, workers or plan changes meet on it; the unique index
 * on (subscription, period start) would refuse a second invoice anyway.
 */
@Injectable()
export class RenewalsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly invoices: InvoicesRepository,
  ) {}

  /** Claims up to `limit` due subscriptions (SKIP LOCKED: parallel runs split the work) and brings each current. */
  async renewDue(now: Date, limit: number, decide: (state: SubscriptionState) => Promise<RenewalDecision>): Promise<RenewalBatch> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<SubscriptionRow[]>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE status = 'active' AND current_period_end <= $1
          ORDER BY current_period_end LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      const batch: RenewalBatch = { claimed: rows.length, renewed: 0, canceled: 0, invoiced: 0 };
      for (const row of rows) {
        const decision = await decide(toState(row));
        await this.apply(manager, row, decision);
        if (decision.kind === 'cancel') {
          batch.canceled++;
        } else {
          batch.renewed++;
          batch.invoiced += decision.invoices.length;
        }
      }
      return batch;
    });
  }

  /**
   * Brings one subscription current if it is still due. Unlike the job it waits for a
   * run holding the row, which then leaves it current and this a no-op.
   */
  async catchUp(id: string, now: Date, decide: (state: SubscriptionState) => Promise<RenewalDecision>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<SubscriptionRow[]>(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1 AND status = 'active' AND current_period_end <= $2 FOR UPDATE`,
        [id, now],
      );
      if (rows[0]) {
        await this.apply(manager, rows[0], await decide(toState(rows[0])));
      }
    });
  }

  private async apply(manager: EntityManager, row: SubscriptionRow, decision: RenewalDecision): Promise<void> {
    if (decision.kind === 'cancel') {
      const [updated] = await manager.query<[SubscriptionRow[], number]>(
        `UPDATE subscriptions SET status = 'canceled', canceled_at = current_period_end, version = version + 1, updated_at = now()
          WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [row.id],
      );
      await this.outbox.enqueueIn(manager, SUBSCRIPTION_CANCELED, { subscription: toSubscription(updated[0]) });
      return;
    }
    const current = decision.invoices.at(-1);
    if (!current) {
      return;
    }
    const [updated] = await manager.query<[SubscriptionRow[], number]>(
      `UPDATE subscriptions SET current_period_start = $2, current_period_end = $3, version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [row.id, current.periodStart, current.periodEnd],
    );
    const subscription = toSubscription(updated[0]);
    for (const invoice of decision.invoices) {
      await this.invoices.insert(manager, subscription, invoice);
    }
  }
}
