import type { CacheAside } from '@app/platform';
import type { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';
import type { InvoicesRepository } from './invoices.repository';
import type { RenewalsRepository } from './renewals.repository';
import type { SubscriptionState } from './subscription.rows';

const DAY = 24 * 60 * 60 * 1000;
const customer = { id: 'u1', email: 'u@x.y', roles: ['customer'] };
const admin = { id: 'a1', email: 'a@x.y', roles: ['admin'] };
const plans = {
  basic: { id: 'basic', code: 'basic', name: 'Basic', priceCents: 1000, currency: 'EUR', interval: 'month' as const },
  pro: { id: 'pro', code: 'pro', name: 'Pro', priceCents: 10_000, currency: 'EUR', interval: 'month' as const },
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

describe('BillingService plan changes (repositories substituted)', () => {
  const billing = { findSubscription: jest.fn(), findPlan: jest.fn(), changePlan: jest.fn(), findLive: jest.fn() };
  const renewals = { catchUp: jest.fn(), renewDue: jest.fn() };
  const service = new BillingService(
    billing as unknown as BillingRepository,
    renewals as unknown as RenewalsRepository,
    {} as InvoicesRepository,
    {} as CacheAside,
  );

  beforeEach(() => {
    jest.resetAllMocks();
    billing.findPlan.mockImplementation((id: 'basic' | 'pro') => Promise.resolve(plans[id]));
  });

  it("refuses a customer's `at` before reading anything (403), and the current plan (422)", async () => {
    await expect(service.changePlan(customer, 's1', 'pro', new Date())).rejects.toMatchObject({ code: 'BILLING_AT_ADMIN_ONLY' });
    expect(billing.findSubscription).not.toHaveBeenCalled();
    billing.findSubscription.mockResolvedValue(state());
    await expect(service.changePlan(customer, 's1', 'basic')).rejects.toMatchObject({ code: 'PLAN_UNCHANGED' });
    expect(billing.changePlan).not.toHaveBeenCalled();
  });

  it("keeps an admin's `at` between the last change and now", async () => {
    const lastChangedAt = new Date(Date.now() - 5 * DAY);
    billing.findSubscription.mockResolvedValue(state({ lastChangedAt }));
    await expect(service.changePlan(admin, 's1', 'pro', new Date(lastChangedAt.getTime() - 1))).rejects.toMatchObject({ code: 'PRORATION_OUTSIDE_PERIOD' });
    await expect(service.changePlan(admin, 's1', 'pro', new Date(Date.now() + DAY))).rejects.toMatchObject({ code: 'PRORATION_OUTSIDE_PERIOD' });
    await expect(service.previewChange(customer, 's1', 'pro', new Date(lastChangedAt.getTime() - 1))).rejects.toMatchObject({
      code: 'PRORATION_OUTSIDE_PERIOD',
    });
    expect(billing.changePlan).not.toHaveBeenCalled();

    billing.changePlan.mockResolvedValue({ subscription: {}, invoice: {} });
    await service.changePlan(admin, 's1', 'pro', lastChangedAt);
    expect(billing.changePlan).toHaveBeenCalledWith(
      expect.objectContaining({ id: 's1', version: 3 }),
      expect.objectContaining({ planId: 'pro', at: lastChangedAt }),
      expect.objectContaining({ kind: 'proration', periodStart: lastChangedAt }),
    );
  });

  it('reports a write that lost to another as SUBSCRIPTION_CHANGED_CONCURRENTLY', async () => {
    billing.findSubscription.mockResolvedValue(state());
    billing.changePlan.mockResolvedValue('stale');
    await expect(service.changePlan(customer, 's1', 'pro')).rejects.toMatchObject({ code: 'SUBSCRIPTION_CHANGED_CONCURRENTLY', kind: 'conflict' });
  });

  it('brings an ended period current before changing, and only then', async () => {
    const ended = state({ periodStart: new Date(Date.now() - 40 * DAY), periodEnd: new Date(Date.now() - DAY) });
    billing.findSubscription.mockResolvedValueOnce(ended).mockResolvedValueOnce(state());
    billing.changePlan.mockResolvedValue({ subscription: {}, invoice: {} });
    await service.changePlan(customer, 's1', 'pro');
    expect(renewals.catchUp).toHaveBeenCalledTimes(1);
    billing.findSubscription.mockResolvedValue(state());
    await service.changePlan(customer, 's1', 'pro');
    expect(renewals.catchUp).toHaveBeenCalledTimes(1);
  });
});
