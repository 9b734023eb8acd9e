import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { InvoiceView } from './billing.read-model';
import type { InvoiceDraft, InvoiceLine } from './domain/invoicing';
import type { InvoiceKind } from './invoice.entity';

interface InvoiceRow {
  id: string;
  subscription_id: string;
  kind: InvoiceKind;
  total_cents: string;
  currency: string;
  period_start: Date;
  period_end: Date;
  created_at: Date;
}

const INVOICE_COLUMNS = 'id, subscription_id, kind, total_cents, currency, period_start, period_end, created_at';

/**
 * Invoices and their lines, written in the calling service's transaction. The unique
 * index on (subscription, period start) refuses a second initial or renewal invoice for
 * a period, whatever wrote the first.
 */
@Injectable()
export class InvoicesRepository {
  constructor(private readonly db: Database) {}

  /** Stores the draft as an invoice of this subscription (billed to its user), lines in one statement. */
  async insert(subscription: { id: string; userId: string }, invoice: InvoiceDraft): Promise<InvoiceView> {
    const row = await this.db.one<InvoiceRow>(
      `INSERT INTO invoices (id, subscription_id, user_id, kind, total_cents, currency, period_start, period_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${INVOICE_COLUMNS}`,
      [
        uuidv7(),
        subscription.id,
        subscription.userId,
        invoice.kind,
        invoice.totalCents,
        invoice.currency,
        invoice.periodStart,
        invoice.periodEnd,
      ],
    );
    await this.db.query(
      `INSERT INTO invoice_lines (invoice_id, position, description, amount_cents)
       SELECT $1, line.position - 1, line.description, line.amount_cents
         FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS line(description, amount_cents, position)`,
      [row!.id, invoice.lines.map((line) => line.description), invoice.lines.map((line) => line.amountCents)],
    );
    return toInvoice(row!, invoice.lines);
  }

  /** Keyset page, newest first (ids are UUID v7); fetches limit + 1. `ownerId` limits it to that user's invoices. */
  async list(ownerId: string | undefined, limit: number, beforeId?: string): Promise<InvoiceView[]> {
    const rows = await this.db.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3`,
      [ownerId ?? null, beforeId ?? null, limit + 1],
    );
    return this.withLines(rows);
  }

  async find(id: string, ownerId: string | undefined): Promise<InvoiceView | null> {
    const rows = await this.db.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return (await this.withLines(rows))[0] ?? null;
  }

  private async withLines(rows: InvoiceRow[]): Promise<InvoiceView[]> {
    if (rows.length === 0) {
      return [];
    }
    const lines = await this.db.query<{ invoice_id: string; description: string; amount_cents: string }>(
      `SELECT invoice_id, description, amount_cents FROM invoice_lines WHERE invoice_id = ANY($1::uuid[]) ORDER BY invoice_id, position`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      toInvoice(
        row,
        lines
          .filter((line) => line.invoice_id === row.id)
          .map((line) => ({ description: line.description, amountCents: Number(line.amount_cents) })),
      ),
    );
  }
}

function toInvoice(row: InvoiceRow, lines: readonly InvoiceLine[]): InvoiceView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    lines: lines.map((line) => ({ description: line.description, amountCents: line.amountCents })),
    totalCents: Number(row.total_cents),
    currency: row.currency.trim(),
    periodStart: new Date(row.period_start).toISOString(),
    periodEnd: new Date(row.period_end).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
