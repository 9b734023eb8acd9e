import { Transform, TransformCallback } from 'node:stream';

export interface OrderExportRow {
  id: string;
  userId: string;
  status: string;
  itemCount: number;
  totalCents: number;
  currency: string;
  createdAt: string;
}

export const CSV_HEADER = 'id,userId,status,itemCount,totalCents,currency,createdAt\n';

/** RFC 4180: quote a field when it holds a comma, quote, CR or LF; double inner quotes. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

interface RawRow {
  id: string;
  user_id: string;
  status: string;
  item_count: string | number;
  total_cents: string | number;
  currency: string;
  created_at: Date;
}

export function toExportRow(row: RawRow): OrderExportRow {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    itemCount: Number(row.item_count),
    totalCents: Number(row.total_cents),
    currency: row.currency.trim(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/**
 * Database rows in, text lines out, one object at a time: a Transform in object mode
 * on its readable side only so that pipeline() propagates back-pressure from the
 * socket (or file) all the way to the database cursor.
 */
export class OrderRowFormatter extends Transform {
  rows = 0;
  /** UTF-8 bytes written so far: the file's size once the stream ended. */
  bytes = 0;
  private headerSent = false;

  constructor(private readonly format: 'csv' | 'ndjson') {
    super({ writableObjectMode: true });
  }

  override _transform(raw: RawRow, _encoding: BufferEncoding, callback: TransformCallback): void {
    const row = toExportRow(raw);
    this.rows++;
    let line: string;
    if (this.format === 'ndjson') {
      line = `${JSON.stringify(row)}\n`;
    } else {
      line = `${[row.id, row.userId, row.status, row.itemCount, row.totalCents, row.currency, row.createdAt].map(csvField).join(',')}\n`;
      if (!this.headerSent) {
        this.headerSent = true;
        line = CSV_HEADER + line;
      }
    }
    this.bytes += Buffer.byteLength(line);
    callback(null, line);
  }

  override _flush(callback: TransformCallback): void {
    if (this.format === 'csv' && !this.headerSent) {
      this.bytes += Buffer.byteLength(CSV_HEADER);
      this.push(CSV_HEADER);
    }
    callback();
  }
}
