import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { ReportStatus } from './report.entity';

export interface ReportView {
  id: string;
  type: 'orders';
  format: 'csv' | 'ndjson';
  from: string;
  to: string;
  status: ReportStatus;
  rowCount: number | null;
  sizeBytes: number | null;
  error?: string;
  createdAt: string;
}

interface ReportRow {
  id: string;
  type: 'orders';
  format: 'csv' | 'ndjson';
  range_from: Date;
  range_to: Date;
  status: ReportStatus;
  row_count: number | null;
  size_bytes: string | null;
  error: string | null;
  created_at: Date;
}

export interface SalesRow {
  day: string;
  orders: number;
  units: number;
  /** Integer minor units as a string of digits (may exceed 2^53). */
  revenueCents: string;
  currency: string;
}

const COLUMNS = 'id, type, format, range_from, range_to, status, row_count, size_bytes, error, created_at';

/** Reports, the daily sales rollup, and the rollup's record of the events it applied. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  async insertQueued(report: {
    id: string;
    requestedBy: string;
    format: 'csv' | 'ndjson';
    from: Date;
    to: Date;
  }): Promise<ReportView> {
    const row = await this.db.one<ReportRow>(
      `INSERT INTO reports (id, requested_by, type, format, range_from, range_to, status)
       VALUES ($1, $2, 'orders', $3, $4, $5, 'queued') RETURNING ${COLUMNS}`,
      [report.id, report.requestedBy, report.format, report.from, report.to],
    );
    return toView(row!);
  }

  async find(id: string): Promise<ReportView | null> {
    const row = await this.db.one<ReportRow>(`SELECT ${COLUMNS} FROM reports WHERE id = $1`, [id]);
    return row ? toView(row) : null;
  }

  async markRunning(id: string): Promise<void> {
    await this.db.execute(
      `UPDATE reports SET status = 'running', attempts = attempts + 1, error = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  async markDone(id: string, rowCount: number, sizeBytes: number): Promise<void> {
    await this.db.execute(
      `UPDATE reports SET status = 'done', row_count = $2, size_bytes = $3, updated_at = now() WHERE id = $1`,
      [id, rowCount, sizeBytes],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.execute(`UPDATE reports SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [
      id,
      error.slice(0, 500),
    ]);
  }

  /**
   * Records that the sales rollup applied this event; false when it already had (a
   * redelivery). Run it in the transaction that applies the event, so both commit together.
   */
  async markEventProcessed(eventId: string): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO processed_events (event_id, consumer) VALUES ($1, 'sales-rollup') ON CONFLICT DO NOTHING RETURNING event_id`,
      [eventId],
    );
    return inserted.length > 0;
  }

  /** Adds one order (sign +1) or takes it back (-1) in its UTC day's rollup row. */
  async addToDailySales(
    sign: 1 | -1,
    order: { createdAt: string; currency: string; totalCents: number; units: number },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO daily_sales (day, currency, orders, units, revenue_cents)
       VALUES (($1::timestamptz AT TIME ZONE 'UTC')::date, $2, $3, $4, $5)
       ON CONFLICT (day, currency) DO UPDATE SET orders = daily_sales.orders + EXCLUDED.orders,
         units = daily_sales.units + EXCLUDED.units, revenue_cents = daily_sales.revenue_cents + EXCLUDED.revenue_cents`,
      [order.createdAt, order.currency, sign, sign * order.units, sign * order.totalCents],
    );
  }

  /**
   * Days that overlap `[from, to)`: a day starts before `to` and ends after `from`, so a
   * day partly inside the range is included (`to` = 23:59:59 keeps that day). Revenue is
   * a string of digits: a sum of bigints can pass 2^53, where a JSON number loses cents.
   */
  async sales(from: Date, to: Date): Promise<SalesRow[]> {
    const rows = await this.db.replica.query<{
      day: string;
      orders: number;
      units: number;
      revenue_cents: string;
      currency: string;
    }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, orders, units, revenue_cents::text AS revenue_cents, currency FROM daily_sales
        WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND (day::timestamp AT TIME ZONE 'UTC') < $2::timestamptz
        ORDER BY day, currency
        LIMIT 10000`, // the documented maximum: 27 years of one currency
      [from, to],
    );
    return rows.map((row) => ({
      day: row.day,
      orders: row.orders,
      units: row.units,
      revenueCents: row.revenue_cents,
      currency: row.currency.trim(),
    }));
  }
}

function toView(row: ReportRow): ReportView {
  return {
    id: row.id,
    type: row.type,
    format: row.format,
    from: new Date(row.range_from).toISOString(),
    to: new Date(row.range_to).toISOString(),
    status: row.status,
    rowCount: row.row_count,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    ...(row.error ? { error: row.error } : {}),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
