import type { PlanInterval } from './billing-period';
import { periodBoundary } from './billing-period';
import { divideRoundHalfAwayFromZero } from './rounding';

export interface ProratedPlan {
  code: string;
  priceCents: number;
  currency: string;
  interval: PlanInterval;
}

export interface ProrationInput {
  oldPlan: ProratedPlan;
  newPlan: ProratedPlan;
  periodStart: Date;
  periodEnd: Date;
  /** The moment of the change: periodStart <= at < periodEnd. */
  at: Date;
}

export interface ProrationLine {
  description: string;
  amountCents: number;
}

export interface ProrationResult {
  lines: ProrationLine[];
  totalCents: number;
  currency: string;
  /** The subscription's period after the change (unchanged unless the interval changes). */
  periodStart: Date;
  periodEnd: Date;
}

export type ProrationRejection = 'OUTSIDE_PERIOD' | 'CURRENCY_MISMATCH';

export class ProrationRejected extends Error {
  constructor(readonly reason: ProrationRejection) {
    super(reason);
  }
}

/**
 * The proration API.md defines, exactly: with remaining = end - t and length =
 * end - start in milliseconds, the credit is -round(old * remaining / length) and the
 * charge round(new * remaining / length), each rounded half away from zero in BigInt.
 * If the interval changes, the period restarts at t and the charge is the new plan's
 * full price. A pure function: no clock, no I/O.
 */
export function prorate(input: ProrationInput): ProrationResult {
  const { oldPlan, newPlan, periodStart, periodEnd, at } = input;
  const start = BigInt(periodStart.getTime());
  const end = BigInt(periodEnd.getTime());
  const t = BigInt(at.getTime());
  if (!(start <= t && t < end)) {
    throw new ProrationRejected('OUTSIDE_PERIOD');
  }
  if (oldPlan.currency !== newPlan.currency) {
    throw new ProrationRejected('CURRENCY_MISMATCH');
  }
  const remaining = end - t;
  const length = end - start;
  const credit = -divideRoundHalfAwayFromZero(BigInt(oldPlan.priceCents) * remaining, length);
  const intervalChanges = oldPlan.interval !== newPlan.interval;
  const charge = intervalChanges
    ? BigInt(newPlan.priceCents)
    : divideRoundHalfAwayFromZero(BigInt(newPlan.priceCents) * remaining, length);

  const lines: ProrationLine[] = [
    { description: `Unused time on ${oldPlan.code}`, amountCents: Number(credit) },
    {
      description: intervalChanges ? `${newPlan.code} from ${at.toISOString()}` : `Remaining time on ${newPlan.code}`,
      amountCents: Number(charge),
    },
  ];
  return {
    lines,
    totalCents: Number(credit + charge),
    currency: newPlan.currency,
    periodStart: intervalChanges ? at : periodStart,
    periodEnd: intervalChanges ? periodBoundary(at, newPlan.interval, 1) : periodEnd,
  };
}
