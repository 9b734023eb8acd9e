import { AuthenticatedUser, CacheAside, decodeCursor, isAdmin, Page, toPage, UUID_PATTERN } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { BillingError, BillingErrorCode } from './billing.errors';
import { InvoiceView, PlanView, SubscriptionView } from './billing.read-model';
import { BillingRepository } from './billing.repository';
import { periodBoundary, periodsOwed, PlanInterval } from './domain/billing-period';
import { prorate, ProrationRejected, ProrationResult } from './domain/proration';
import { InvoicesRepository } from './invoices.repository';
import { RenewalDecision, RenewalsRepository } from './renewals.repository';
import { SubscriptionState, toView } from './subscription.rows';

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
    private readonly renewals: RenewalsRepository,
    private readonly invoices: InvoicesRepository,
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
    const shown = live && (await this.asOf(live, new Date()));
    if (!shown || shown.status !== 'active') {
      throw new BillingError(BillingErrorCode.SubscriptionNotFound, 'You have no live subscription.');
    }
    return toView(shown);
  }

  /**
   * What change-plan would invoice at `at`; writes nothing. Anyone allowed to see the
   * subscription may pass `at` (a preview bills nothing), but only within the window an
   * admin's back-dated change has: from the last change (or the period start) to now.
   */
  async previewChange(user: AuthenticatedUser, subscriptionId: string, planId: string, at?: Date): Promise<ProrationResult> {
    const now = new Date();
    const subscription = await this.asOf(await this.subscription(user, subscriptionId), now);
    const [oldPlan, newPlan] = await Promise.all([this.plan(subscription.planId), this.plan(planId)]);
    return this.prorate(subscription, oldPlan, newPlan, at ?? now, now);
  }

  /**
   * An owner's change happens now; only an admin may back-date one (a correction), and
   * never before the last change nor after now: with `at` in the owner's hands, a change to
   * an expensive plan at the period's last millisecond and back at its start billed a credit.
   */
  async changePlan(user: AuthenticatedUser, subscriptionId: string, planId: string, at?: Date): Promise<{ subscription: SubscriptionView; invoice: InvoiceView }> {
    if (at && !isAdmin(user)) {
      throw new BillingError(BillingErrorCode.AtAdminOnly, 'Only an admin may choose when a plan change takes effect; leave `at` out to change now.');
    }
    const now = new Date();
    const subscription = await this.current(user, subscriptionId, now);
    const [oldPlan, newPlan] = await Promise.all([this.plan(subscription.planId), this.plan(planId)]);
    const when = at ?? now;
    const proration = this.prorate(subscription, oldPlan, newPlan, when, now);
    const restarts = oldPlan.interval !== newPlan.interval;
    const result = await this.billing.changePlan(
      subscription,
      { planId: newPlan.id, start: proration.periodStart, end: proration.periodEnd, anchor: restarts ? when : subscription.anchorAt, at: when },
      { kind: 'proration', lines: proration.lines, currency: proration.currency, periodStart: when, periodEnd: proration.periodEnd },
    );
    if (result === 'stale') {
      throw new BillingError(BillingErrorCode.ChangedConcurrently, 'The subscription changed meanwhile; read it again and retry.');
    }
    return result;
  }

  async cancel(user: AuthenticatedUser, subscriptionId: string, atPeriodEnd: boolean): Promise<SubscriptionView> {
    await this.current(user, subscriptionId, new Date()); // periods used before the cancel are owed
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
   * Brings every due subscription current: each owed period with its invoice, up to the
   * one holding `now`, or the end for those set to cancel at period end. The worker's cron
   * and POST /v1/admin/jobs/renewals/run both call exactly this.
   */
  async runRenewals(now = new Date()): Promise<RenewalReport> {
    const total: RenewalReport = { renewed: 0, canceled: 0 };
    for (;;) {
      const batch = await this.renewals.renewDue(now, RENEWAL_BATCH, (state) => this.renewal(state, now));
      total.renewed += batch.renewed;
      total.canceled += batch.canceled;
      if (batch.claimed < RENEWAL_BATCH) {
        return total;
      }
    }
  }

  async listInvoices(user: AuthenticatedUser, limit: number, cursor?: string): Promise<Page<InvoiceView>> {
    const before = decodeCursor(cursor, UUID_PATTERN);
    const rows = await this.invoices.list(isAdmin(user) ? undefined : user.id, limit, before?.id);
    return toPage(rows, limit, (row) => ({ key: row.id, id: row.id }), (row) => row);
  }

  async invoice(user: AuthenticatedUser, id: string): Promise<InvoiceView> {
    const invoice = await this.invoices.find(id, isAdmin(user) ? undefined : user.id);
    if (!invoice) {
      throw new BillingError(BillingErrorCode.InvoiceNotFound, 'No such invoice.');
    }
    return invoice;
  }

  private prorate(subscription: SubscriptionState, oldPlan: PlanView, newPlan: PlanView, at: Date, now: Date): ProrationResult {
    if (subscription.status !== 'active') {
      throw new BillingError(BillingErrorCode.SubscriptionNotActive, 'Only an active subscription can change plan.');
    }
    if (newPlan.id === oldPlan.id) {
      throw new BillingError(BillingErrorCode.PlanUnchanged, 'The subscription is already on this plan.');
    }
    const earliest = Math.max(subscription.periodStart.getTime(), subscription.lastChangedAt?.getTime() ?? 0);
    if (at.getTime() < earliest || at.getTime() > now.getTime()) {
      throw new BillingError(BillingErrorCode.ChangeOutsidePeriod, '`at` must lie between the last plan change (or the period start) and now.');
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

  /** The subscription, brought current first if its period has ended (a change is computed on the renewed period). */
  private async current(user: AuthenticatedUser, id: string, now: Date): Promise<SubscriptionState> {
    const subscription = await this.subscription(user, id);
    if (subscription.status !== 'active' || subscription.periodEnd.getTime() > now.getTime()) {
      return subscription;
    }
    await this.renewals.catchUp(id, now, (state) => this.renewal(state, now));
    return this.subscription(user, id);
  }

  /** The subscription as the renewal run will leave it, written nowhere: what reads show between a period's end and the run. */
  private async asOf(subscription: SubscriptionState, now: Date): Promise<SubscriptionState> {
    if (subscription.status !== 'active' || subscription.periodEnd.getTime() > now.getTime()) {
      return subscription;
    }
    if (subscription.cancelAtPeriodEnd) {
      return { ...subscription, status: 'canceled' };
    }
    const plan = await this.plan(subscription.planId);
    const periods = periodsOwed(subscription.anchorAt, plan.interval, subscription.periodEnd, now);
    const { start, end } = periods[periods.length - 1];
    return { ...subscription, periodStart: start, periodEnd: end, currentPeriodStart: start.toISOString(), currentPeriodEnd: end.toISOString() };
  }

  private async renewal(state: SubscriptionState, now: Date): Promise<RenewalDecision> {
    if (state.cancelAtPeriodEnd) {
      return { kind: 'cancel' };
    }
    const plan = await this.plan(state.planId);
    return {
      kind: 'renew',
      invoices: periodsOwed(state.anchorAt, plan.interval, state.periodEnd, now).map(({ start, end }) => ({
        kind: 'renewal' as const,
        lines: [{ description: `${plan.code} from ${start.toISOString()} to ${end.toISOString()}`, amountCents: plan.priceCents }],
        currency: plan.currency,
        periodStart: start,
        periodEnd: end,
      })),
    };
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
