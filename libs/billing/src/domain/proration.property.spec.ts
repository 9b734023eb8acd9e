import fc from 'fast-check';
import { prorate, ProratedPlan } from './proration';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/** Any prices, any period up to a year long, any moment inside it. */
const scenario = fc
  .record({
    oldPrice: fc.integer({ min: 0, max: 10_000_000 }),
    newPrice: fc.integer({ min: 0, max: 10_000_000 }),
    start: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }),
    length: fc.integer({ min: 1, max: YEAR_MS }),
  })
  .chain((s) => fc.record({ s: fc.constant(s), offset: fc.integer({ min: 0, max: s.length - 1 }) }));

const plan = (code: string, priceCents: number): ProratedPlan => ({
  code,
  priceCents,
  currency: 'EUR',
  interval: 'month',
});

function run({
  s,
  offset,
}: {
  s: { oldPrice: number; newPrice: number; start: number; length: number };
  offset: number;
}) {
  return prorate({
    oldPlan: plan('OLD', s.oldPrice),
    newPlan: plan('NEW', s.newPrice),
    periodStart: new Date(s.start),
    periodEnd: new Date(s.start + s.length),
    at: new Date(s.start + offset),
  });
}

describe('prorate (properties)', () => {
  it('lines always sum to the total, in whole cents', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const result = run(input);
        const sum = result.lines.reduce((total, line) => total + line.amountCents, 0);
        return sum === result.totalCents && result.lines.every((line) => Number.isSafeInteger(line.amountCents));
      }),
    );
  });

  it('never credits more than the old price nor charges more than the new one', () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const [credit, charge] = run(input).lines;
        return (
          -credit.amountCents <= input.s.oldPrice &&
          credit.amountCents <= 0 &&
          charge.amountCents <= input.s.newPrice &&
          charge.amountCents >= 0
        );
      }),
    );
  });

  it('a change at the very start credits the whole old price', () => {
    fc.assert(
      fc.property(scenario, ({ s }) => {
        const [credit, charge] = run({ s, offset: 0 }).lines;
        return credit.amountCents === -s.oldPrice && charge.amountCents === s.newPrice;
      }),
    );
  });

  it('changing to the same price totals zero', () => {
    fc.assert(
      fc.property(scenario, ({ s, offset }) => run({ s: { ...s, newPrice: s.oldPrice }, offset }).totalCents === 0),
    );
  });

  it('matches exact rational rounding half away from zero', () => {
    fc.assert(
      fc.property(scenario, ({ s, offset }) => {
        const remaining = s.length - offset;
        const exact = (price: number) => {
          // Compare against integer arithmetic done another way: floor((2pr + l) / 2l).
          const twice = 2n * BigInt(price) * BigInt(remaining);
          return Number((twice + BigInt(s.length)) / (2n * BigInt(s.length)));
        };
        const [credit, charge] = run({ s, offset }).lines;
        return credit.amountCents === -exact(s.oldPrice) && charge.amountCents === exact(s.newPrice);
      }),
    );
  });
});
