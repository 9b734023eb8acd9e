import { OutboxRepository, Transactional } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { BillingError, BillingErrorCode } from './billing.errors';
import { PlanView, SUBSCRIPTION_CANCELED } from './billing.read-model';
import { periodsOwed } from './domain/billing-period';
import { periodInvoice } from './domain/invoicing';
import { InvoicesRepository } from './invoices.repository';
import { PlansRepository } from './plans.repository';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionState } from './subscription.rows';

const RENEWAL_BATCH = 100;

export interface RenewalReport {
  renewed: number;
  canceled: number;
}

/**
 * Brings subscriptions whose period ended current: every owed period with its invoice, up
 * to the one holding `now`, or the end for one set to cancel at period end. Each decision
 * is taken and written under the subscription's row lock, on rows still due under that
 * lock, so a period is invoiced once however many runs, workers or plan changes meet on
 * it (the unique index on (subscription, period start) would refuse a second anyway).
 */
@Injectable()
export class RenewalsService {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly plans: PlansRepository,
    private readonly invoices: InvoicesRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Every due subscription, in batches of one transaction each. The worker's cron and POST /v1/admin/jobs/renewals/run both call exactly this. */
  async runRenewals(now = new Date()): Promise<RenewalReport> {
    const total: RenewalReport = { renewed: 0, canceled: 0 };
    for (;;) {
      const batch = await this.renewBatch(now);
      total.renewed += batch.renewed;
      total.canceled += batch.canceled;
      if (batch.claimed < RENEWAL_BATCH) {
        return total;
      }
    }
  }

  /**
   * Brings one subscription current if it is still due (a change or cancel does this
   * first: periods used before it are owed). Unlike the job it waits for a run holding the
   * row, which then leaves it current and this a no-op.
   */
  @Transactional()
  async catchUp(id: string, now: Date): Promise<void> {
    const due = await this.subscriptions.lockIfDue(id, now);
    if (due) {
      await this.bringCurrent(due, now);
    }
  }

  /** The subscription as the renewal run will leave it, written nowhere: what reads show between a period's end and the run. */
  async asOf(subscription: SubscriptionState, now: Date): Promise<SubscriptionState> {
    if (subscription.status !== 'active' || subscription.periodEnd.getTime() > now.getTime()) {
      return subscription;
    }
    if (subscription.cancelAtPeriodEnd) {
      return { ...subscription, status: 'canceled' };
    }
    const plan = await this.plan(subscription.planId);
    const periods = periodsOwed(subscription.anchorAt, plan.interval, subscription.periodEnd, now);
    const { start, end } = periods[periods.length - 1];
    return {
      ...subscription,
      periodStart: start,
      periodEnd: end,
      currentPeriodStart: start.toISOString(),
      currentPeriodEnd: end.toISOString(),
    };
  }

  /** Claims up to a batch of due subscriptions (parallel runs split them) and brings each current, all in one transaction. */
  @Transactional()
  private async renewBatch(now: Date): Promise<RenewalReport & { claimed: number }> {
    const due = await this.subscriptions.lockDue(now, RENEWAL_BATCH);
    const batch = { claimed: due.length, renewed: 0, canceled: 0 };
    for (const subscription of due) {
      batch[await this.bringCurrent(subscription, now)]++;
    }
    return batch;
  }

  /**
   * The renew-or-cancel rule, for a locked, due subscription: one set to cancel at period
   * end ends at that end (and `subscription.canceled` is announced); any other is invoiced
   * every period it is owed, in order, and moved to the last of them.
   */
  private async bringCurrent(due: SubscriptionState, now: Date): Promise<keyof RenewalReport> {
    if (due.cancelAtPeriodEnd) {
      const subscription = await this.subscriptions.cancel(due.id, due.periodEnd);
      await this.outbox.enqueue(SUBSCRIPTION_CANCELED, { subscription });
      return 'canceled';
    }
    const plan = await this.plan(due.planId);
    const periods = periodsOwed(due.anchorAt, plan.interval, due.periodEnd, now);
    const current = periods.at(-1);
    if (current) {
      const subscription = await this.subscriptions.advancePeriod(due.id, current);
      for (const period of periods) {
        await this.invoices.insert(subscription, periodInvoice('renewal', plan, period));
      }
    }
    return 'renewed';
  }

  private async plan(id: string): Promise<PlanView> {
    const plan = await this.plans.find(id);
    if (!plan) {
      throw new BillingError(BillingErrorCode.PlanNotFound, 'No such plan.');
    }
    return plan;
  }
}
