import {
  AuthenticatedUser,
  CacheAside,
  decodeCursor,
  isAdmin,
  OutboxRepository,
  Page,
  toPage,
  Transactional,
  UUID_PATTERN,
} from '@app/platform';
import { Injectable } from '@nestjs/common';
import { BillingError, BillingErrorCode } from './billing.errors';
import {
  InvoiceView,
  PlanView,
  SUBSCRIPTION_CANCELED,
  SUBSCRIPTION_CREATED,
  SUBSCRIPTION_PLAN_CHANGED,
  SubscriptionView,
} from './billing.read-model';
import { periodBoundary, PlanInterval } from './domain/billing-period';
import { InvoiceDraft, periodInvoice, prorationInvoice } from './domain/invoicing';
import { prorate, ProrationRejected, ProrationResult } from './domain/proration';
import { InvoicesRepository } from './invoices.repository';
import { PlansRepository } from './plans.repository';
import { RenewalsService } from './renewals.service';
import { SubscriptionState, toView } from './subscription.rows';
import { PlanChange, SubscriptionsRepository } from './subscriptions.repository';

/** The cache key of the plans on offer (GET /v1/plans caches its response under it); every plan write invalidates it. */
export const PLANS_CACHE_KEY = 'billing:plans';

@Injectable()
export class BillingService {
  constructor(
    private readonly plans: PlansRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly renewals: RenewalsService,
    private readonly outbox: OutboxRepository,
    private readonly cache: CacheAside,
  ) {}

  /** Uncached: its route caches the response under PLANS_CACHE_KEY. */
  listPlans(): Promise<PlanView[]> {
    return this.plans.listActive();
  }

  async createPlan(input: {
    code: string;
    name: string;
    priceCents: number;
    currency: string;
    interval: PlanInterval;
  }): Promise<PlanView> {
    const plan = await this.plans.create({ ...input, currency: input.currency.toUpperCase() });
    if (!plan) {
      throw new BillingError(BillingErrorCode.PlanCodeTaken, 'A plan with this code already exists.');
    }
    await this.cache.invalidate(PLANS_CACHE_KEY);
    return plan;
  }

  /** Subscribes and invoices the first period, in one transaction. */
  async subscribe(user: AuthenticatedUser, planId: string, now = new Date()): Promise<SubscriptionView> {
    const plan = await this.plan(planId);
    return this.start(user.id, plan, { start: now, end: periodBoundary(now, plan.interval, 1) });
  }

  async mine(user: AuthenticatedUser): Promise<SubscriptionView> {
    const live = await this.subscriptions.findLive(user.id);
    const shown = live && (await this.renewals.asOf(live, new Date()));
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
  async previewChange(
    user: AuthenticatedUser,
    subscriptionId: string,
    planId: string,
    at?: Date,
  ): Promise<ProrationResult> {
    const now = new Date();
    const subscription = await this.renewals.asOf(await this.subscription(user, subscriptionId), now);
    const [oldPlan, newPlan] = await Promise.all([this.plan(subscription.planId), this.plan(planId)]);
    return this.prorate(subscription, oldPlan, newPlan, at ?? now, now);
  }

  /**
   * An owner's change happens now; only an admin may back-date one (a correction), and
   * never before the last change nor after now: with `at` in the owner's hands, a change to
   * an expensive plan at the period's last millisecond and back at its start billed a credit.
   * The change is computed on the version read here and stored only if it is still current.
   */
  async changePlan(
    user: AuthenticatedUser,
    subscriptionId: string,
    planId: string,
    at?: Date,
  ): Promise<{ subscription: SubscriptionView; invoice: InvoiceView }> {
    if (at && !isAdmin(user)) {
      throw new BillingError(
        BillingErrorCode.AtAdminOnly,
        'Only an admin may choose when a plan change takes effect; leave `at` out to change now.',
      );
    }
    const now = new Date();
    const subscription = await this.current(user, subscriptionId, now);
    const [oldPlan, newPlan] = await Promise.all([this.plan(subscription.planId), this.plan(planId)]);
    const when = at ?? now;
    const proration = this.prorate(subscription, oldPlan, newPlan, when, now);
    // A change of interval restarts the billing anchor at the change.
    const anchor = oldPlan.interval !== newPlan.interval ? when : subscription.anchorAt;
    return this.applyChange(
      subscription,
      { planId: newPlan.id, anchor, periodStart: proration.periodStart, periodEnd: proration.periodEnd, at: when },
      prorationInvoice(proration, when),
    );
  }

  async cancel(user: AuthenticatedUser, subscriptionId: string, atPeriodEnd: boolean): Promise<SubscriptionView> {
    const now = new Date();
    await this.current(user, subscriptionId, now); // periods used before the cancel are owed
    return this.cancelInTransaction(subscriptionId, isAdmin(user) ? undefined : user.id, atPeriodEnd, now);
  }

  async listInvoices(user: AuthenticatedUser, limit: number, cursor?: string): Promise<Page<InvoiceView>> {
    const before = decodeCursor(cursor, UUID_PATTERN);
    const rows = await this.invoices.list(isAdmin(user) ? undefined : user.id, limit, before?.id);
    return toPage(
      rows,
      limit,
      (row) => ({ key: row.id, id: row.id }),
      (row) => row,
    );
  }

  async invoice(user: AuthenticatedUser, id: string): Promise<InvoiceView> {
    const invoice = await this.invoices.find(id, isAdmin(user) ? undefined : user.id);
    if (!invoice) {
      throw new BillingError(BillingErrorCode.InvoiceNotFound, 'No such invoice.');
    }
    return invoice;
  }

  /** The subscription, its first invoice and `subscription.created`, together or not at all. */
  @Transactional()
  private async start(userId: string, plan: PlanView, period: { start: Date; end: Date }): Promise<SubscriptionView> {
    const subscription = await this.subscriptions.insert({
      userId,
      planId: plan.id,
      periodStart: period.start,
      periodEnd: period.end,
    });
    if (!subscription) {
      throw new BillingError(BillingErrorCode.SubscriptionExists, 'You already have a live subscription.');
    }
    const invoice = await this.invoices.insert(subscription, periodInvoice('initial', plan, period));
    await this.outbox.enqueue(SUBSCRIPTION_CREATED, { subscription, invoiceId: invoice.id });
    return subscription;
  }

  /**
   * The change, its proration invoice and `subscription.plan_changed`, in one transaction,
   * only if the subscription is still at the version the change was computed on: a
   * concurrent change, renewal or cancel makes this one 409 instead of invoicing old figures.
   */
  @Transactional()
  private async applyChange(
    expected: SubscriptionState,
    change: PlanChange,
    invoice: InvoiceDraft,
  ): Promise<{ subscription: SubscriptionView; invoice: InvoiceView }> {
    const subscription = await this.subscriptions.applyPlanChange(expected, change);
    if (!subscription) {
      throw new BillingError(
        BillingErrorCode.ChangedConcurrently,
        'The subscription changed meanwhile; read it again and retry.',
      );
    }
    const created = await this.invoices.insert(subscription, invoice);
    await this.outbox.enqueue(SUBSCRIPTION_PLAN_CHANGED, {
      subscription,
      fromPlanId: expected.planId,
      invoiceId: created.id,
    });
    return { subscription, invoice: created };
  }

  /** Only an active subscription can be canceled; at once announces `subscription.canceled`, at period end leaves that to the renewal run. */
  @Transactional()
  private async cancelInTransaction(
    id: string,
    ownerId: string | undefined,
    atPeriodEnd: boolean,
    now: Date,
  ): Promise<SubscriptionView> {
    const locked = await this.subscriptions.lockVisible(id, ownerId);
    if (!locked) {
      throw new BillingError(BillingErrorCode.SubscriptionNotFound, 'No such subscription.');
    }
    if (locked.status !== 'active') {
      throw new BillingError(BillingErrorCode.SubscriptionNotActive, 'The subscription is already canceled.');
    }
    if (atPeriodEnd) {
      return this.subscriptions.cancelAtPeriodEnd(id);
    }
    const subscription = await this.subscriptions.cancel(id, now);
    await this.outbox.enqueue(SUBSCRIPTION_CANCELED, { subscription });
    return subscription;
  }

  private prorate(
    subscription: SubscriptionState,
    oldPlan: PlanView,
    newPlan: PlanView,
    at: Date,
    now: Date,
  ): ProrationResult {
    if (subscription.status !== 'active') {
      throw new BillingError(BillingErrorCode.SubscriptionNotActive, 'Only an active subscription can change plan.');
    }
    if (newPlan.id === oldPlan.id) {
      throw new BillingError(BillingErrorCode.PlanUnchanged, 'The subscription is already on this plan.');
    }
    const earliest = Math.max(subscription.periodStart.getTime(), subscription.lastChangedAt?.getTime() ?? 0);
    if (at.getTime() < earliest || at.getTime() > now.getTime()) {
      throw new BillingError(
        BillingErrorCode.ChangeOutsidePeriod,
        '`at` must lie between the last plan change (or the period start) and now.',
      );
    }
    try {
      return prorate({
        oldPlan,
        newPlan,
        periodStart: subscription.periodStart,
        periodEnd: subscription.periodEnd,
        at,
      });
    } catch (error) {
      if (error instanceof ProrationRejected) {
        throw error.reason === 'CURRENCY_MISMATCH'
          ? new BillingError(BillingErrorCode.CurrencyMismatch, 'The new plan is in another currency.')
          : new BillingError(
              BillingErrorCode.ChangeOutsidePeriod,
              '`at` must lie within the current period [start, end).',
            );
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
    await this.renewals.catchUp(id, now);
    return this.subscription(user, id);
  }

  /** Another customer's subscription is reported missing (404). */
  private async subscription(user: AuthenticatedUser, id: string): Promise<SubscriptionState> {
    const subscription = await this.subscriptions.find(id, isAdmin(user) ? undefined : user.id);
    if (!subscription) {
      throw new BillingError(BillingErrorCode.SubscriptionNotFound, 'No such subscription.');
    }
    return subscription;
  }

  private async plan(id: string): Promise<PlanView> {
    const plan = await this.plans.find(id);
    if (!plan) {
      throw new BillingError(BillingErrorCode.PlanNotFound, 'No such plan.');
    }
    return plan;
  }
}
