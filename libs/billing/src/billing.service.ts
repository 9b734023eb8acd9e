import { AuthenticatedUser, CacheAside, decodeCursor, isAdmin, Page, toPage, UUID_PATTERN } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { BillingError, BillingErrorCode } from './billing.errors';
import { InvoiceView, PlanView, SubscriptionView } from './billing.read-model';
import { BillingRepository, SubscriptionState } from './billing.repository';
import { nextPeriod, periodBoundary, PlanInterval } from './domain/billing-period';
import { prorate, ProrationRejected, ProrationResult } from './domain/proration';

const PLANS_KEY = 'billing:plans';
const RENEWAL_BATCH = 100;

export interface RenewalReport {
  renewed: number;
  canceled: number;
}

@Injectable()
export class BillingService {
  constructor(
    private readonly billing: BillingRepository,
    private readonly cache: CacheAside,
  ) {}

  async listPlans(): Promise<{ value: PlanView[]; hit: boolean }> {
    return this.cache.getOrLoad(PLANS_KEY, () => this.billing.listPlans(), { name: 'plans' });
  }

  async createPlan(input: { code: string; name: string; priceCents: number; currency: string; interval: PlanInterval }): Promise<PlanView> {
    const plan = await this.billing.createPlan({ ...input, currency: input.currency.toUpperCase() });
    if (!plan) {
      throw new BillingError(BillingErrorCode.PlanCodeTaken, 'A plan with this code already exists.');
    }
    await this.cache.invalidate(PLANS_KEY);
    return plan;
  }

  /** Subscribes and invoices the first period, in one transaction. */
  async subscribe(user: AuthenticatedUser, planId: string, now = new Date()): Promise<SubscriptionView> {
    const plan = await this.plan(planId);
    const result = await this.billing.subscribe(user.id, plan, now, periodBoundary(now, plan.interval, 1));
    if (!result) {
      throw new BillingError(BillingErrorCode.SubscriptionExists, 'You already have a live subscription.');
    }
    return result.subscription;
  }

  async mine(user: AuthenticatedUser): Promise<SubscriptionView> {
    const live = await this.billing.findLive(user.id);
    if (!live) {
      throw new BillingError(BillingErrorCode.SubscriptionNotFound, 'You have no live subscription.');
    }
    return live;
  }

  /** What change-plan would invoice at `at`; writes nothing. */
  async previewChange(user: AuthenticatedUser, subscriptionId: string, planId: string, at?: Date): Promise<ProrationResult> {
    const subscription = await this.subscription(user, subscriptionId);
    const [oldPlan, newPlan] = await Promise.all([this.plan(subscription.planId), this.plan(planId)]);
    return this.prorate(subscription, oldPlan, newPlan, at ?? new Date());
  }

  async changePlan(user: AuthenticatedUser, subscriptionId: string, planId: string, at?: Date): Promise<{ subscription: SubscriptionView; invoice: InvoiceView }> {
    const subscription = await this.subscription(user, subscriptionId);
    const [oldPlan, newPlan] = await Promise.all([this.plan(subscription.planId), this.plan(planId)]);
    const when = at ?? new Date();
    const proration = this.prorate(subscription, oldPlan, newPlan, when);
    const restarts = oldPlan.interval !== newPlan.interval;
    const result = await this.billing.changePlan(
      subscription,
      newPlan.id,
      { start: proration.periodStart, end: proration.periodEnd, anchor: restarts ? when : subscription.anchorAt },
      { kind: 'proration', lines: proration.lines, currency: proration.currency, periodStart: when, periodEnd: proration.periodEnd },
    );
    if (result === 'stale') {
      throw new BillingError(BillingErrorCode.SubscriptionNotActive, 'The subscription changed meanwhile; preview again and retry.');
    }
    return result;
  }

  async cancel(user: AuthenticatedUser, subscriptionId: string, atPeriodEnd: boolean): Promise<SubscriptionView> {
    const result = await this.billing.cancel(subscriptionId, isAdmin(user) ? undefined : user.id, atPeriodEnd);
    if (result === 'not_found') {
      throw new BillingError(BillingErrorCode.SubscriptionNotFound, 'No such subscription.');
    }
    if (result === 'not_active') {
      throw new BillingError(BillingErrorCode.SubscriptionNotActive, 'The subscription is already canceled.');
    }
    return result;
  }

  /**
   * Renews every subscription whose period has ended (next period and its invoice),
   * and ends those set to cancel at period end. The worker's cron and
   * POST /v1/admin/jobs/renewals/run both call exactly this.
   */
  async runRenewals(now = new Date()): Promise<RenewalReport> {
    const total: RenewalReport = { renewed: 0, canceled: 0 };
    for (;;) {
      const batch = await this.billing.renewDue(now, RENEWAL_BATCH, async ({ anchorAt, periodEnd, planId }) => {
        const plan = await this.plan(planId);
        return { end: nextPeriod(anchorAt, plan.interval, periodEnd).end, plan };
      });
      total.renewed += batch.renewed;
      total.canceled += batch.canceled;
      if (batch.renewed + batch.canceled < RENEWAL_BATCH) {
        return total;
      }
    }
  }

  async listInvoices(user: AuthenticatedUser, limit: number, cursor?: string): Promise<Page<InvoiceView>> {
    const before = decodeCursor(cursor, UUID_PATTERN);
    const rows = await this.billing.listInvoices(isAdmin(user) ? undefined : user.id, limit, before?.id);
    return toPage(rows, limit, (row) => ({ key: row.id, id: row.id }), (row) => row);
  }

  async invoice(user: AuthenticatedUser, id: string): Promise<InvoiceView> {
    const invoice = await this.billing.findInvoice(id, isAdmin(user) ? undefined : user.id);
    if (!invoice) {
      throw new BillingError(BillingErrorCode.InvoiceNotFound, 'No such invoice.');
    }
    return invoice;
  }

  private prorate(subscription: SubscriptionState, oldPlan: PlanView, newPlan: PlanView, at: Date): ProrationResult {
    if (subscription.status !== 'active') {
      throw new BillingError(BillingErrorCode.SubscriptionNotActive, 'Only an active subscription can change plan.');
    }
    try {
      return prorate({ oldPlan, newPlan, periodStart: subscription.periodStart, periodEnd: subscription.periodEnd, at });
    } catch (error) {
      if (error instanceof ProrationRejected) {
        throw error.reason === 'CURRENCY_MISMATCH'
          ? new BillingError(BillingErrorCode.CurrencyMismatch, 'The new plan is in another currency.')
          : new BillingError(BillingErrorCode.ChangeOutsidePeriod, '`at` must lie within the current period [start, end).');
      }
      throw error;
    }
  }

  /** Another customer's subscription is reported missing (404). */
  private async subscription(user: AuthenticatedUser, id: string): Promise<SubscriptionState> {
    const subscription = await this.billing.findSubscription(id, isAdmin(user) ? undefined : user.id);
    if (!subscription) {
      throw new BillingError(BillingErrorCode.SubscriptionNotFound, 'No such subscription.');
    }
    return subscription;
  }

  private async plan(id: string): Promise<PlanView> {
    const plan = await this.billing.findPlan(id);
    if (!plan) {
      throw new BillingError(BillingErrorCode.PlanNotFound, 'No such plan.');
    }
    return plan;
  }
}
