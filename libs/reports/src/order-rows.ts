import { Readable, Transform, TransformCallback } from 'node:stream';

/** An export's bytes; `rows` and `bytes` are final once the stream has ended. */
export interface ExportStream extends Readable {
  readonly rows: number;
  readonly bytes: number;
}

export interface OrderExportRow {
  id: string;
  userId: string;
  status: string;
  itemCount: number;
  totalCents: number;
  currency: string;
  createdAt: string;
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
 * Database rows in, NDJSON lines out, one object at a time: a Transform in object mode
 * on its writable side only so that pipeline() propagates back-pressure from the
 * socket (or file) all the way to the database reads. (CSV needs no formatter: the
 * database writes it, see OrdersExportRepository.copyCsv.)
 */
export class NdjsonFormatter extends Transform implements ExportStream {
  rows = 0;
  /** UTF-8 bytes written so far: the file's size once the stream ended. */
  bytes = 0;

  constructor() {
    super({ writableObjectMode: true });
  }

  override _transform(raw: RawRow, _encoding: BufferEncoding, callback: TransformCallback): void {
    const line = `${JSON.stringify(toExportRow(raw))}\n`;
    this.rows++;
    this.bytes += Buffer.byteLength(line);
    callback(null, line);
  }
}
