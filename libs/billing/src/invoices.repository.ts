import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { InvoiceView, SubscriptionView } from './billing.read-model';
import type { InvoiceKind } from './invoice.entity';

export interface NewInvoice {
  kind: InvoiceKind;
  lines: Array<{ description: string; amountCents: number }>;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
}

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

/** Invoices and their lines: written inside the caller's transaction, read on their own. */
@Injectable()
export class InvoicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, subscription: SubscriptionView, invoice: NewInvoice): Promise<InvoiceView> {
    const id = uuidv7();
    const total = invoice.lines.reduce((sum, line) => sum + line.amountCents, 0);
    const rows = await manager.query<InvoiceRow[]>(
      `INSERT INTO invoices (id, subscription_id, user_id, kind, total_cents, currency, period_start, period_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${INVOICE_COLUMNS}`,
      [id, subscription.id, subscription.userId, invoice.kind, total, invoice.currency, invoice.periodStart, invoice.periodEnd],
    );
    for (const [position, line] of invoice.lines.entries()) {
      await manager.query(`INSERT INTO invoice_lines (invoice_id, position, description, amount_cents) VALUES ($1, $2, $3, $4)`, [
        id,
        position,
        line.description,
        line.amountCents,
      ]);
    }
    return toInvoice(rows[0], invoice.lines);
  }

  async list(ownerId: string | undefined, limit: number, beforeId?: string): Promise<InvoiceView[]> {
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE ($1::uuid IS NULL OR user_id = $1::uuid) AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3`,
      [ownerId ?? null, beforeId ?? null, limit + 1],
    );
    return this.withLines(rows);
  }

  async find(id: string, ownerId: string | undefined): Promise<InvoiceView | null> {
    const rows = await this.dataSource.query<InvoiceRow[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid)`,
      [id, ownerId ?? null],
    );
    return (await this.withLines(rows))[0] ?? null;
  }

  private async withLines(rows: InvoiceRow[]): Promise<InvoiceView[]> {
    if (rows.length === 0) {
      return [];
    }
    const lines = await this.dataSource.query<Array<{ invoice_id: string; description: string; amount_cents: string }>>(
      `SELECT invoice_id, description, amount_cents FROM invoice_lines WHERE invoice_id = ANY($1::uuid[]) ORDER BY invoice_id, position`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      toInvoice(
        row,
        lines.filter((line) => line.invoice_id === row.id).map((line) => ({ description: line.description, amountCents: Number(line.amount_cents) })),
      ),
    );
  }
}

function toInvoice(row: InvoiceRow, lines: Array<{ description: string; amountCents: number }>): InvoiceView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    kind: row.kind,
    lines,
    totalCents: Number(row.total_cents),
    currency: row.currency.trim(),
    periodStart: new Date(row.period_start).toISOString(),
    periodEnd: new Date(row.period_end).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
