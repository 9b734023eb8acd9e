import { OutboxRepository } from '@app/platform';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { InvoicesRepository } from './invoices.repository';
import { PlansRepository } from './plans.repository';
import { RenewalsService } from './renewals.service';
import type { SubscriptionState } from './subscription.rows';
import { SubscriptionsRepository } from './subscriptions.repository';

const basic = {
  id: 'basic',
  code: 'basic',
  name: 'Basic',
  priceCents: 1000,
  currency: 'EUR',
  interval: 'month' as const,
};
const anchor = new Date('2026-01-31T00:00:00Z');
const now = new Date('2026-04-15T00:00:00Z');

/** Anchored on 31 Jan, its period ended on 28 Feb: March and April are owed at `now`. */
function due(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  const periodStart = anchor;
  const periodEnd = new Date('2026-02-28T00:00:00Z');
  return {
    id: 's1',
    userId: 'u1',
    planId: 'basic',
    status: 'active',
    currentPeriodStart: periodStart.toISOString(),
    currentPeriodEnd: periodEnd.toISOString(),
    cancelAtPeriodEnd: false,
    anchorAt: anchor,
    periodStart,
    periodEnd,
    lastChangedAt: null,
    version: 1,
    ...overrides,
  };
}

describe('RenewalsService (repositories substituted)', () => {
  const subscriptions = { lockDue: jest.fn(), lockIfDue: jest.fn(), advancePeriod: jest.fn(), cancel: jest.fn() };
  const plans = { find: jest.fn() };
  const invoices = { insert: jest.fn() };
  const outbox = { enqueue: jest.fn() };
  let service: RenewalsService;

  beforeAll(async () => {
    service = await serviceUnderTest(RenewalsService, [
      { provide: SubscriptionsRepository, useValue: subscriptions },
      { provide: PlansRepository, useValue: plans },
      { provide: InvoicesRepository, useValue: invoices },
      { provide: OutboxRepository, useValue: outbox },
    ]);
  });

  beforeEach(() => {
    jest.resetAllMocks();
    plans.find.mockResolvedValue(basic);
    subscriptions.advancePeriod.mockResolvedValue({ id: 's1', userId: 'u1' });
    subscriptions.cancel.mockResolvedValue({ id: 's1', status: 'canceled' });
  });

  it('invoices every owed period in order, in the plan’s words, and moves the subscription to the last', async () => {
    subscriptions.lockIfDue.mockResolvedValue(due());
    await service.catchUp('s1', now);
    expect(subscriptions.lockIfDue).toHaveBeenCalledWith('s1', now);
    const march = { start: new Date('2026-02-28T00:00:00Z'), end: new Date('2026-03-31T00:00:00Z') };
    const april = { start: march.end, end: new Date('2026-04-30T00:00:00Z') };
    expect(subscriptions.advancePeriod).toHaveBeenCalledWith('s1', april);
    expect(invoices.insert.mock.calls).toEqual(
      [march, april].map((period) => [
        { id: 's1', userId: 'u1' },
        {
          kind: 'renewal',
          lines: [
            {
              description: `basic from ${period.start.toISOString()} to ${period.end.toISOString()}`,
              amountCents: 1000,
            },
          ],
          totalCents: 1000,
          currency: 'EUR',
          periodStart: period.start,
          periodEnd: period.end,
        },
      ]),
    );
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });

  it('ends one set to cancel at period end at that end, announcing it and invoicing nothing', async () => {
    subscriptions.lockIfDue.mockResolvedValue(due({ cancelAtPeriodEnd: true }));
    await service.catchUp('s1', now);
    expect(subscriptions.cancel).toHaveBeenCalledWith('s1', due().periodEnd);
    expect(outbox.enqueue).toHaveBeenCalledWith('subscription.canceled', {
      subscription: { id: 's1', status: 'canceled' },
    });
    expect(subscriptions.advancePeriod).not.toHaveBeenCalled();
    expect(invoices.insert).not.toHaveBeenCalled();
  });

  it('leaves a subscription no longer due (a run got there first) alone', async () => {
    subscriptions.lockIfDue.mockResolvedValue(null);
    await service.catchUp('s1', now);
    expect(subscriptions.advancePeriod).not.toHaveBeenCalled();
    expect(subscriptions.cancel).not.toHaveBeenCalled();
  });

  it('runs batches until one comes back short, counting renewals and cancellations', async () => {
    const full = Array.from({ length: 100 }, (_, i) => due({ id: `s${i}`, cancelAtPeriodEnd: i % 4 === 0 }));
    subscriptions.lockDue.mockResolvedValueOnce(full).mockResolvedValueOnce([due({ id: 'last' })]);
    await expect(service.runRenewals(now)).resolves.toEqual({ renewed: 76, canceled: 25 });
    expect(subscriptions.lockDue).toHaveBeenCalledTimes(2);
    expect(subscriptions.lockDue).toHaveBeenCalledWith(now, 100);
  });

  it('reads a due subscription as the run will leave it, writing nothing', async () => {
    await expect(service.asOf(due(), now)).resolves.toMatchObject({
      status: 'active',
      currentPeriodStart: '2026-03-31T00:00:00.000Z',
      currentPeriodEnd: '2026-04-30T00:00:00.000Z',
    });
    await expect(service.asOf(due({ cancelAtPeriodEnd: true }), now)).resolves.toMatchObject({ status: 'canceled' });
    const current = due({ periodEnd: new Date('2026-05-31T00:00:00Z') });
    await expect(service.asOf(current, now)).resolves.toBe(current);
    expect(subscriptions.advancePeriod).not.toHaveBeenCalled();
    expect(subscriptions.cancel).not.toHaveBeenCalled();
  });
});
