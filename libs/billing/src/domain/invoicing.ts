import type { InvoiceKind } from '../invoice.entity';
import type { ProratedPlan, ProrationResult } from './proration';

export interface InvoiceLine {
  description: string;
  amountCents: number;
}

/** An invoice as billing decides it, before it is stored: what is billed, for which period, and its total. */
export interface InvoiceDraft {
  kind: InvoiceKind;
  lines: InvoiceLine[];
  totalCents: number;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
}

/**
 * A whole period billed in advance (the first one on subscribing, each owed one on
 * renewal): one line at the plan's price, naming the plan and the period.
 */
export function periodInvoice(
  kind: 'initial' | 'renewal',
  plan: ProratedPlan,
  period: { start: Date; end: Date },
): InvoiceDraft {
  const lines = [
    {
      description: `${plan.code} from ${period.start.toISOString()} to ${period.end.toISOString()}`,
      amountCents: plan.priceCents,
    },
  ];
  return {
    kind,
    lines,
    totalCents: totalOf(lines),
    currency: plan.currency,
    periodStart: period.start,
    periodEnd: period.end,
  };
}

/** A plan change: the proration's lines, billed from the change to the end of the subscription's period after it. */
export function prorationInvoice(proration: ProrationResult, at: Date): InvoiceDraft {
  return {
    kind: 'proration',
    lines: proration.lines,
    totalCents: totalOf(proration.lines),
    currency: proration.currency,
    periodStart: at,
    periodEnd: proration.periodEnd,
  };
}

function totalOf(lines: readonly InvoiceLine[]): number {
  return lines.reduce((sum, line) => sum + line.amountCents, 0);
}
