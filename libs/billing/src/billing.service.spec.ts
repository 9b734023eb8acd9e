import { CacheAside, OutboxRepository } from '@app/platform';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { BillingService } from './billing.service';
import { InvoicesRepository } from './invoices.repository';
import { PlansRepository } from './plans.repository';
import { RenewalsService } from './renewals.service';
import type { SubscriptionState } from './subscription.rows';
import { SubscriptionsRepository } from './subscriptions.repository';

const DAY = 24 * 60 * 60 * 1000;
const customer = { id: 'u1', email: 'u@x.y', roles: ['customer'] };
const admin = { id: 'a1', email: 'a@x.y', roles: ['admin'] };
const plans = {
  basic: { id: 'basic', code: 'basic', name: 'Basic', priceCents: 1000, currency: 'EUR', interval: 'month' as const },
  pro: { id: 'pro', code: 'pro', name: 'Pro', priceCents: 10_000, currency: 'EUR', interval: 'month' as const },
  yearly: {
    id: 'yearly',
    code: 'yearly',
    name: 'Yearly',
    priceCents: 50_000,
    currency: 'EUR',
    interval: 'year' as const,
  },
  usd: { id: 'usd', code: 'usd', name: 'Dollars', priceCents: 1000, currency: 'USD', interval: 'month' as const },
};

function state(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  const periodStart = new Date(Date.now() - 10 * DAY);
  const periodEnd = new Date(Date.now() + 20 * DAY);
  return {
    id: 's1',
    userId: 'u1',
    planId: 'basic',
    status: 'active',
    currentPeriodStart: periodStart.toISOString(),
    currentPeriodEnd: periodEnd.toISOString(),
    cancelAtPeriodEnd: false,
    anchorAt: periodStart,
    periodStart,
    periodEnd,
    lastChangedAt: null,
    version: 3,
    ...overrides,
  };
}

describe('BillingService (repositories substituted)', () => {
  const planRepository = { find: jest.fn(), create: jest.fn(), listActive: jest.fn() };
  const subscriptions = {
    insert: jest.fn(),
    find: jest.fn(),
    findLive: jest.fn(),
    lockVisible: jest.fn(),
    applyPlanChange: jest.fn(),
    cancelAtPeriodEnd: jest.fn(),
    cancel: jest.fn(),
  };
  const invoices = { insert: jest.fn(), list: jest.fn(), find: jest.fn() };
  const renewals = { catchUp: jest.fn(), asOf: jest.fn() };
  const outbox = { enqueue: jest.fn() };
  const cache = { getOrLoad: jest.fn(), invalidate: jest.fn() };
  let service: BillingService;

  beforeAll(async () => {
    service = await serviceUnderTest(BillingService, [
      { provide: PlansRepository, useValue: planRepository },
      { provide: SubscriptionsRepository, useValue: subscriptions },
      { provide: InvoicesRepository, useValue: invoices },
      { provide: RenewalsService, useValue: renewals },
      { provide: OutboxRepository, useValue: outbox },
      { provide: CacheAside, useValue: cache },
    ]);
  });

  beforeEach(() => {
    jest.resetAllMocks();
    planRepository.find.mockImplementation((id: keyof typeof plans) => Promise.resolve(plans[id] ?? null));
    renewals.asOf.mockImplementation((subscription: SubscriptionState) => Promise.resolve(subscription));
    invoices.insert.mockImplementation((_subscription: unknown, draft: object) =>
      Promise.resolve({ id: 'i1', ...draft }),
    );
  });

  describe('plans', () => {
    it('stores the currency upper-cased and invalidates the cached list after the write; a taken code is 409', async () => {
      const input = { code: 'x', name: 'X', priceCents: 1, currency: 'eur', interval: 'month' as const };
      planRepository.create.mockResolvedValue({ id: 'p1' });
      await service.createPlan(input);
      expect(planRepository.create).toHaveBeenCalledWith({ ...input, currency: 'EUR' });
      expect(cache.invalidate).toHaveBeenCalledWith('billing:plans');
      planRepository.create.mockResolvedValue(null);
      cache.invalidate.mockClear();
      await expect(service.createPlan(input)).rejects.toMatchObject({ code: 'PLAN_CODE_TAKEN' });
      expect(cache.invalidate).not.toHaveBeenCalled();
    });
  });

  describe('subscribe', () => {
    it('stores the subscription, invoices its first period in the plan’s words and announces it', async () => {
      const now = new Date('2026-01-31T10:00:00Z');
      subscriptions.insert.mockResolvedValue({ id: 's1', userId: 'u1' });
      await expect(service.subscribe(customer, 'basic', now)).resolves.toEqual({ id: 's1', userId: 'u1' });
      const end = new Date('2026-02-28T10:00:00Z');
      const period = { periodStart: now, periodEnd: end };
      expect(subscriptions.insert).toHaveBeenCalledWith({ userId: 'u1', planId: 'basic', ...period });
      expect(invoices.insert).toHaveBeenCalledWith(
        { id: 's1', userId: 'u1' },
        {
          kind: 'initial',
          lines: [{ description: `basic from ${now.toISOString()} to ${end.toISOString()}`, amountCents: 1000 }],
          totalCents: 1000,
          currency: 'EUR',
          ...period,
        },
      );
      expect(outbox.enqueue).toHaveBeenCalledWith('subscription.created', {
        subscription: { id: 's1', userId: 'u1' },
        invoiceId: 'i1',
      });
    });

    it('refuses a second live subscription (409) and an unknown plan (404), invoicing nothing', async () => {
      subscriptions.insert.mockResolvedValue(null);
      await expect(service.subscribe(customer, 'basic')).rejects.toMatchObject({
        code: 'SUBSCRIPTION_EXISTS',
        kind: 'conflict',
      });
      await expect(service.subscribe(customer, 'gone')).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
      expect(invoices.insert).not.toHaveBeenCalled();
      expect(outbox.enqueue).not.toHaveBeenCalled();
    });
  });

  describe('plan changes', () => {
    it("refuses a customer's `at` before reading anything (403), and the current plan (422)", async () => {
      await expect(service.changePlan(customer, 's1', 'pro', new Date())).rejects.toMatchObject({
        code: 'BILLING_AT_ADMIN_ONLY',
      });
      expect(subscriptions.find).not.toHaveBeenCalled();
      subscriptions.find.mockResolvedValue(state());
      await expect(service.changePlan(customer, 's1', 'basic')).rejects.toMatchObject({ code: 'PLAN_UNCHANGED' });
      expect(subscriptions.applyPlanChange).not.toHaveBeenCalled();
    });

    it("keeps an admin's `at` between the last change and now", async () => {
      const lastChangedAt = new Date(Date.now() - 5 * DAY);
      subscriptions.find.mockResolvedValue(state({ lastChangedAt }));
      await expect(service.changePlan(admin, 's1', 'pro', new Date(lastChangedAt.getTime() - 1))).rejects.toMatchObject(
        { code: 'PRORATION_OUTSIDE_PERIOD' },
      );
      await expect(service.changePlan(admin, 's1', 'pro', new Date(Date.now() + DAY))).rejects.toMatchObject({
        code: 'PRORATION_OUTSIDE_PERIOD',
      });
      await expect(
        service.previewChange(customer, 's1', 'pro', new Date(lastChangedAt.getTime() - 1)),
      ).rejects.toMatchObject({
        code: 'PRORATION_OUTSIDE_PERIOD',
      });
      expect(subscriptions.applyPlanChange).not.toHaveBeenCalled();

      subscriptions.applyPlanChange.mockResolvedValue({ id: 's1', userId: 'u1' });
      await service.changePlan(admin, 's1', 'pro', lastChangedAt);
      expect(subscriptions.applyPlanChange).toHaveBeenCalledWith(
        expect.objectContaining({ id: 's1', version: 3 }),
        expect.objectContaining({ planId: 'pro', at: lastChangedAt }),
      );
      expect(invoices.insert).toHaveBeenCalledWith(
        { id: 's1', userId: 'u1' },
        expect.objectContaining({ kind: 'proration', periodStart: lastChangedAt }),
      );
    });

    it('scopes the subscription to its owner (another customer’s is 404) and refuses another currency (422)', async () => {
      subscriptions.find.mockResolvedValue(null);
      await expect(service.changePlan(customer, 's1', 'pro')).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
      expect(subscriptions.find).toHaveBeenCalledWith('s1', 'u1');
      await expect(service.previewChange(admin, 's1', 'pro')).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
      expect(subscriptions.find).toHaveBeenLastCalledWith('s1', undefined);
      subscriptions.find.mockResolvedValue(state());
      await expect(service.changePlan(customer, 's1', 'usd')).rejects.toMatchObject({ code: 'PLAN_CURRENCY_MISMATCH' });
    });

    it('stores the change with its proration invoice (lines totalled) and announces it; the anchor moves only with the interval', async () => {
      const read = state();
      subscriptions.find.mockResolvedValue(read);
      subscriptions.applyPlanChange.mockResolvedValue({ id: 's1', userId: 'u1', planId: 'pro' });
      const result = await service.changePlan(customer, 's1', 'pro');
      const [, change] = subscriptions.applyPlanChange.mock.calls[0] as [unknown, { anchor: Date; at: Date }];
      expect(change.anchor).toBe(read.anchorAt);
      const [, draft] = invoices.insert.mock.calls[0] as [
        unknown,
        { lines: Array<{ amountCents: number }>; totalCents: number },
      ];
      expect(draft.lines).toHaveLength(2);
      expect(draft.totalCents).toBe(draft.lines[0].amountCents + draft.lines[1].amountCents);
      expect(outbox.enqueue).toHaveBeenCalledWith('subscription.plan_changed', {
        subscription: result.subscription,
        fromPlanId: 'basic',
        invoiceId: 'i1',
      });

      subscriptions.applyPlanChange.mockClear();
      await service.changePlan(customer, 's1', 'yearly');
      const [, restarted] = subscriptions.applyPlanChange.mock.calls[0] as [unknown, { anchor: Date; at: Date }];
      expect(restarted.anchor).toBe(restarted.at);
    });

    it('reports a write that lost to another as SUBSCRIPTION_CHANGED_CONCURRENTLY, invoicing nothing', async () => {
      subscriptions.find.mockResolvedValue(state());
      subscriptions.applyPlanChange.mockResolvedValue(null);
      await expect(service.changePlan(customer, 's1', 'pro')).rejects.toMatchObject({
        code: 'SUBSCRIPTION_CHANGED_CONCURRENTLY',
        kind: 'conflict',
      });
      expect(invoices.insert).not.toHaveBeenCalled();
      expect(outbox.enqueue).not.toHaveBeenCalled();
    });

    it('brings an ended period current before changing, and only then', async () => {
      const ended = state({ periodStart: new Date(Date.now() - 40 * DAY), periodEnd: new Date(Date.now() - DAY) });
      subscriptions.find.mockResolvedValueOnce(ended).mockResolvedValueOnce(state());
      subscriptions.applyPlanChange.mockResolvedValue({ id: 's1', userId: 'u1' });
      await service.changePlan(customer, 's1', 'pro');
      expect(renewals.catchUp).toHaveBeenCalledTimes(1);
      expect(renewals.catchUp).toHaveBeenCalledWith('s1', expect.any(Date));
      subscriptions.find.mockResolvedValue(state());
      await service.changePlan(customer, 's1', 'pro');
      expect(renewals.catchUp).toHaveBeenCalledTimes(1);
    });
  });

  describe('cancel', () => {
    it('ends an active subscription at once and announces it, or marks it for the period end without an event', async () => {
      subscriptions.find.mockResolvedValue(state());
      subscriptions.lockVisible.mockResolvedValue(state());
      subscriptions.cancel.mockResolvedValue({ id: 's1', status: 'canceled' });
      await expect(service.cancel(customer, 's1', false)).resolves.toMatchObject({ status: 'canceled' });
      expect(subscriptions.lockVisible).toHaveBeenCalledWith('s1', 'u1');
      expect(subscriptions.cancel).toHaveBeenCalledWith('s1', expect.any(Date));
      expect(outbox.enqueue).toHaveBeenCalledWith('subscription.canceled', {
        subscription: { id: 's1', status: 'canceled' },
      });

      outbox.enqueue.mockClear();
      subscriptions.cancelAtPeriodEnd.mockResolvedValue({ id: 's1', cancelAtPeriodEnd: true });
      await expect(service.cancel(admin, 's1', true)).resolves.toMatchObject({ cancelAtPeriodEnd: true });
      expect(subscriptions.lockVisible).toHaveBeenLastCalledWith('s1', undefined);
      expect(outbox.enqueue).not.toHaveBeenCalled();
    });

    it('is 409 for a canceled subscription and 404 for a missing one, writing nothing', async () => {
      subscriptions.find.mockResolvedValue(state({ status: 'canceled' }));
      subscriptions.lockVisible.mockResolvedValue(state({ status: 'canceled' }));
      await expect(service.cancel(customer, 's1', false)).rejects.toMatchObject({
        code: 'SUBSCRIPTION_NOT_ACTIVE',
        kind: 'conflict',
      });
      subscriptions.find.mockResolvedValue(null);
      await expect(service.cancel(customer, 's1', false)).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
      expect(subscriptions.cancel).not.toHaveBeenCalled();
      expect(subscriptions.cancelAtPeriodEnd).not.toHaveBeenCalled();
      expect(outbox.enqueue).not.toHaveBeenCalled();
    });

    it('brings an ended period current first (its periods are owed)', async () => {
      const ended = state({ periodEnd: new Date(Date.now() - DAY) });
      subscriptions.find.mockResolvedValueOnce(ended).mockResolvedValueOnce(state());
      subscriptions.lockVisible.mockResolvedValue(state());
      subscriptions.cancelAtPeriodEnd.mockResolvedValue({ id: 's1' });
      await service.cancel(customer, 's1', true);
      expect(renewals.catchUp).toHaveBeenCalledWith('s1', expect.any(Date));
    });
  });

  describe('reads', () => {
    it('shows the live subscription as the renewal run will leave it; one ended by it is 404', async () => {
      subscriptions.findLive.mockResolvedValue(state({ version: 9 }));
      await expect(service.mine(customer)).resolves.not.toHaveProperty('version');
      renewals.asOf.mockResolvedValue(state({ status: 'canceled' }));
      await expect(service.mine(customer)).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
      subscriptions.findLive.mockResolvedValue(null);
      await expect(service.mine(customer)).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
    });

    it("scopes invoices to their owner unless the caller is an admin; another's is 404", async () => {
      invoices.find.mockResolvedValue(null);
      await expect(service.invoice(customer, 'i1')).rejects.toMatchObject({ code: 'INVOICE_NOT_FOUND' });
      expect(invoices.find).toHaveBeenCalledWith('i1', 'u1');
      invoices.list.mockResolvedValue([]);
      await service.listInvoices(admin, 20);
      expect(invoices.list).toHaveBeenCalledWith(undefined, 20, undefined);
    });
  });
});
