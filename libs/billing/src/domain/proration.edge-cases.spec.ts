import { prorate, ProratedPlan, ProrationInput, ProrationRejected } from './proration';

/**
 * The edges of `prorate` that the fixed cases and the properties do not pin down:
 * empty periods, a change at the very first and last millisecond, downgrades, and
 * where each line is rounded. Amounts follow API.md: each line is rounded half away
 * from zero on its own, and the total is the sum of the rounded lines.
 */
const DAY = 24 * 60 * 60 * 1000;
const start = new Date('2026-11-01T00:00:00.000Z');
const end = new Date(start.getTime() + 30 * DAY);

const plan = (code: string, priceCents: number, interval: 'month' | 'year' = 'month'): ProratedPlan => ({
  code,
  priceCents,
  currency: 'EUR',
  interval,
});

const amounts = (input: ProrationInput) => {
  const result = prorate(input);
  return { credit: result.lines[0].amountCents, charge: result.lines[1].amountCents, total: result.totalCents };
};

const rejection = (input: ProrationInput) => {
  try {
    prorate(input);
  } catch (error) {
    return error instanceof ProrationRejected ? error.reason : error;
  }
  return undefined;
};

describe('prorate at the edges', () => {
  describe('empty and reversed periods', () => {
    it('rejects any change in a zero-length period instead of dividing by zero', () => {
      expect(
        rejection({
          oldPlan: plan('A', 1000),
          newPlan: plan('B', 2000),
          periodStart: start,
          periodEnd: start,
          at: start,
        }),
      ).toBe('OUTSIDE_PERIOD');
    });

    it('rejects a period that ends before it starts', () => {
      expect(
        rejection({
          oldPlan: plan('A', 1000),
          newPlan: plan('B', 2000),
          periodStart: end,
          periodEnd: start,
          at: start,
        }),
      ).toBe('OUTSIDE_PERIOD');
    });

    it('prorates a one-millisecond period as a whole period', () => {
      const periodEnd = new Date(start.getTime() + 1);
      expect(
        amounts({ oldPlan: plan('A', 1000), newPlan: plan('B', 2000), periodStart: start, periodEnd, at: start }),
      ).toEqual({
        credit: -1000,
        charge: 2000,
        total: 1000,
      });
    });
  });

  describe('the first and the last millisecond', () => {
    const base = { oldPlan: plan('BASIC', 1000), newPlan: plan('PRO', 2000), periodStart: start, periodEnd: end };

    it('at the very start: the whole old price back, the whole new price charged', () => {
      expect(amounts({ ...base, at: start })).toEqual({ credit: -1000, charge: 2000, total: 1000 });
    });

    it('at the last millisecond: both lines round to zero', () => {
      expect(amounts({ ...base, at: new Date(end.getTime() - 1) })).toEqual({ credit: 0, charge: 0, total: 0 });
    });

    it('at the end itself: rejected, the change belongs to the next period', () => {
      expect(rejection({ ...base, at: end })).toBe('OUTSIDE_PERIOD');
    });

    it('with an interval change at the last millisecond: almost no credit, the full new price, a new period', () => {
      const at = new Date(end.getTime() - 1);
      const result = prorate({ ...base, newPlan: plan('PRO_YEARLY', 20000, 'year'), at });
      expect(result.lines.map((line) => line.amountCents)).toEqual([0, 20000]);
      expect(result.periodStart).toEqual(at);
      expect(result.periodEnd).toEqual(new Date('2027-11-30T23:59:59.999Z'));
    });
  });

  describe('downgrades', () => {
    const base = { periodStart: start, periodEnd: end, at: new Date(start.getTime() + 15 * DAY) };

    it('credit more than the charge: the total is negative (money owed to the customer)', () => {
      expect(amounts({ ...base, oldPlan: plan('PRO', 2000), newPlan: plan('BASIC', 1000) })).toEqual({
        credit: -1000,
        charge: 500,
        total: -500,
      });
    });

    it('to a free plan: the credit alone', () => {
      expect(amounts({ ...base, oldPlan: plan('PRO', 2000), newPlan: plan('FREE', 0) })).toEqual({
        credit: -1000,
        charge: 0,
        total: -1000,
      });
    });

    it('from a free plan: a zero credit line, the remaining time charged', () => {
      expect(amounts({ ...base, oldPlan: plan('FREE', 0), newPlan: plan('PRO', 2000) })).toEqual({
        credit: 0,
        charge: 1000,
        total: 1000,
      });
    });

    it('yearly to monthly: the unused part of the year back, the month charged in full from now', () => {
      const yearEnd = new Date('2027-11-01T00:00:00.000Z');
      const at = new Date(start.getTime() + (yearEnd.getTime() - start.getTime()) / 4);
      const result = prorate({
        oldPlan: plan('YEARLY', 12000, 'year'),
        newPlan: plan('MONTHLY', 1100),
        periodStart: start,
        periodEnd: yearEnd,
        at,
      });
      expect(result.lines.map((line) => line.amountCents)).toEqual([-9000, 1100]);
      expect(result.totalCents).toBe(-7900);
      expect(result.periodStart).toEqual(at);
    });
  });

  describe('rounding', () => {
    const half = { periodStart: start, periodEnd: end, at: new Date(start.getTime() + 15 * DAY) };

    it('rounds half a cent away from zero on both lines', () => {
      expect(amounts({ ...half, oldPlan: plan('A', 1), newPlan: plan('B', 3) })).toEqual({
        credit: -1,
        charge: 2,
        total: 1,
      });
    });

    it('rounds each line, then sums: 1 -> 2 cents halfway totals 0, not the exact half cent', () => {
      expect(amounts({ ...half, oldPlan: plan('A', 1), newPlan: plan('B', 2) })).toEqual({
        credit: -1,
        charge: 1,
        total: 0,
      });
    });

    it('keeps the same price at zero whatever the moment (the two lines round alike)', () => {
      for (const offset of [1, 7 * DAY + 13, 10 * DAY, 29 * DAY + 1]) {
        const at = new Date(start.getTime() + offset);
        expect(
          amounts({ periodStart: start, periodEnd: end, at, oldPlan: plan('A', 999), newPlan: plan('B', 999) }).total,
        ).toBe(0);
      }
    });

    it('stays exact where the intermediate product is far past 2^53', () => {
      const price = 9_007_199_254_741; // cents; price * 30 days in ms is about 2.3e22
      const at = new Date(start.getTime() + 10 * DAY);
      const { credit, charge } = amounts({
        periodStart: start,
        periodEnd: end,
        at,
        oldPlan: plan('A', price),
        newPlan: plan('B', price),
      });
      // Two thirds of the period remain: 6_004_799_503_160.67 cents, rounded up.
      expect(charge).toBe(6_004_799_503_161);
      expect(credit).toBe(-6_004_799_503_161);
    });

    it('divides by the real length of the period: the last day of February is 1/28, of March 1/31', () => {
      const feb = new Date('2027-02-01T00:00:00.000Z');
      const mar = new Date('2027-03-01T00:00:00.000Z');
      const apr = new Date('2027-04-01T00:00:00.000Z');
      const lastDay = (periodStart: Date, periodEnd: Date) =>
        amounts({
          oldPlan: plan('FREE', 0),
          newPlan: plan('PRO', 3100),
          periodStart,
          periodEnd,
          at: new Date(periodEnd.getTime() - DAY),
        }).charge;
      expect(lastDay(feb, mar)).toBe(111); // 3100 / 28 = 110.71
      expect(lastDay(mar, apr)).toBe(100); // 3100 / 31
    });
  });
});
