import { addCalendarMonths, nextPeriod, periodBoundary } from './billing-period';
import { prorate, ProratedPlan, ProrationRejected } from './proration';
import { divideRoundHalfAwayFromZero } from './rounding';

const DAY = 24 * 60 * 60 * 1000;
const plan = (
  code: string,
  priceCents: number,
  interval: 'month' | 'year' = 'month',
  currency = 'EUR',
): ProratedPlan => ({
  code,
  priceCents,
  currency,
  interval,
});

describe('divideRoundHalfAwayFromZero', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [4n, 3n, 1n],
    [-4n, 3n, -1n],
    [2n, 3n, 1n],
    [1n, 3n, 0n],
    [0n, 7n, 0n],
    [19980n, 30n, 666n],
  ])('%s / %s = %s', (n, d, expected) => {
    expect(divideRoundHalfAwayFromZero(n, d)).toBe(expected);
  });
});

describe('prorate (fixed cases from the issue)', () => {
  const start = new Date('2026-11-01T00:00:00.000Z');
  const end = new Date(start.getTime() + 30 * DAY);

  it('1000 -> 2000 cents exactly halfway through 30 days: -500 and +1000, total 500', () => {
    const result = prorate({
      oldPlan: plan('BASIC', 1000),
      newPlan: plan('PRO', 2000),
      periodStart: start,
      periodEnd: end,
      at: new Date(start.getTime() + 15 * DAY),
    });
    expect(result.lines).toEqual([
      { description: 'Unused time on BASIC', amountCents: -500 },
      { description: 'Remaining time on PRO', amountCents: 1000 },
    ]);
    expect(result.totalCents).toBe(500);
    expect(result.periodStart).toEqual(start);
    expect(result.periodEnd).toEqual(end);
  });

  it('999 -> 1999 cents a third of the way: -666 and +1333, total 667', () => {
    const result = prorate({
      oldPlan: plan('A', 999),
      newPlan: plan('B', 1999),
      periodStart: start,
      periodEnd: end,
      at: new Date(start.getTime() + 10 * DAY),
    });
    expect(result.lines.map((line) => line.amountCents)).toEqual([-666, 1333]);
    expect(result.totalCents).toBe(667);
  });

  it('restarts the period and charges the full new price when the interval changes', () => {
    const at = new Date(start.getTime() + 15 * DAY);
    const result = prorate({
      oldPlan: plan('M', 1000),
      newPlan: plan('Y', 10000, 'year'),
      periodStart: start,
      periodEnd: end,
      at,
    });
    expect(result.lines.map((line) => line.amountCents)).toEqual([-500, 10000]);
    expect(result.periodStart).toEqual(at);
    expect(result.periodEnd).toEqual(new Date('2027-11-16T00:00:00.000Z'));
  });

  it('rejects a change outside [start, end) and across currencies', () => {
    const base = { oldPlan: plan('A', 1000), newPlan: plan('B', 2000), periodStart: start, periodEnd: end };
    expect(() => prorate({ ...base, at: end })).toThrow(ProrationRejected);
    expect(() => prorate({ ...base, at: new Date(start.getTime() - 1) })).toThrow(ProrationRejected);
    expect(() => prorate({ ...base, newPlan: plan('B', 2000, 'month', 'USD'), at: start })).toThrow(
      expect.objectContaining({ reason: 'CURRENCY_MISMATCH' }),
    );
  });
});

describe('calendar periods', () => {
  it('keeps the anchor day: 31 Jan -> 28 Feb -> 31 Mar (and 29 Feb in a leap year)', () => {
    const anchor = new Date('2027-01-31T10:00:00.000Z');
    expect(periodBoundary(anchor, 'month', 1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(periodBoundary(anchor, 'month', 2).toISOString()).toBe('2027-03-31T10:00:00.000Z');
    expect(addCalendarMonths(new Date('2028-01-31T00:00:00.000Z'), 1).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(nextPeriod(anchor, 'month', new Date('2027-02-28T10:00:00.000Z'))).toEqual({
      start: new Date('2027-02-28T10:00:00.000Z'),
      end: new Date('2027-03-31T10:00:00.000Z'),
    });
  });

  it('handles years, including 29 February anchors', () => {
    expect(periodBoundary(new Date('2028-02-29T00:00:00.000Z'), 'year', 1).toISOString()).toBe(
      '2029-02-28T00:00:00.000Z',
    );
    expect(periodBoundary(new Date('2028-02-29T00:00:00.000Z'), 'year', 4).toISOString()).toBe(
      '2032-02-29T00:00:00.000Z',
    );
    expect(addCalendarMonths(new Date('2026-12-15T00:00:00.000Z'), 1).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });
});
