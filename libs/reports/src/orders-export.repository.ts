import { databaseConfig, HeldConnection, StreamingConnections } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { to as copyTo } from 'pg-copy-streams';
import { pipeline, Readable, Transform, TransformCallback } from 'node:stream';
import type { ExportStream } from './order-rows';

const BATCH_SIZE = 1000;

/**
 * The CSV export as one `COPY ... TO STDOUT`: PostgreSQL formats the rows (RFC 4180
 * quoting: a field with a comma, quote, CR or LF is quoted, inner quotes doubled) and
 * Node only moves bytes. The column aliases are the header; `createdAt` is cut to
 * milliseconds like `Date#toISOString` (`MS` truncates, as the driver's Date parsing
 * did); `btrim` drops `char(3)` padding. COPY takes no bind parameters: the bounds are
 * quoted by the driver's `escapeLiteral`. Served by `orders_created_idx`.
 */
const copyCsvSql = (from: string, to: string) => `
  COPY (
    SELECT o.id, o.user_id AS "userId", o.status,
           (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS "itemCount",
           o.total_cents AS "totalCents", btrim(o.currency) AS currency,
           to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
      FROM orders o
     WHERE o.created_at >= ${from}::timestamptz AND o.created_at < ${to}::timestamptz
     ORDER BY o.created_at, o.id
  ) TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')`;

/**
 * One page of the NDJSON export in `(created_at, id)` order, served by `orders_created_idx`.
 * `cursor_at` is the timestamp as text: a JS Date keeps milliseconds only, and the
 * keyset needs the full microsecond value to neither skip nor repeat a row.
 */
const batchSql = (first: boolean) => `
  SELECT o.id, o.user_id, o.status,
         (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count,
         o.total_cents, o.currency, o.created_at, o.created_at::text AS cursor_at
    FROM orders o
   WHERE (o.created_at, o.id) ${first ? '>=' : '>'} ($1::timestamptz, $2::uuid) AND o.created_at < $3
   ORDER BY o.created_at, o.id
   LIMIT ${BATCH_SIZE}`;
const FIRST_BATCH_SQL = batchSql(true);
const NEXT_BATCH_SQL = batchSql(false);
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

interface BatchRow {
  id: string;
  cursor_at: string;
}

/**
 * Orders for an export, `[from, to)`. CSV is one COPY statement; NDJSON is read in keyset
 * batches of BATCH_SIZE rows through the row formatter. Either way the connection is held
 * for the stream's life only (platform's `StreamingConnections`: `Database` runs no
 * streamed statement): it goes back when the stream ends, and is closed when the
 * stream fails or is destroyed (a client that disconnects). A failure errors the stream,
 * so whoever reads it (the HTTP reply, a report's storage write) fails too.
 *
 * The COPY is one snapshot. NDJSON batches are separate snapshots: a past range is stable,
 * while a range reaching into the present may include an order placed during the export
 * (never a row twice). Both read a replica when DATABASE_READ_URLS names one: an export may
 * miss the orders of the replica's lag, as it may miss those placed just after it started.
 */
@Injectable()
export class OrdersExportRepository {
  constructor(
    private readonly connections: StreamingConnections,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  /**
   * The CSV bytes, header first. The COPY runs in a read-only transaction with its own
   * `statement_timeout` (DB_EXPORT_STATEMENT_TIMEOUT_MS), not the pool's per-statement one:
   * a single statement lives as long as its slowest reader. The stream ends only after
   * COMMIT, so a connection that died after the last row still fails it.
   */
  async copyCsv(from: Date, to: Date): Promise<ExportStream> {
    const connection = await this.connections.hold({
      replica: true,
      readOnlyTransaction: { statementTimeoutMs: this.config.exportStatementTimeoutMs },
    });
    const { client } = connection;
    const copy = client.query(
      copyTo(copyCsvSql(client.escapeLiteral(from.toISOString()), client.escapeLiteral(to.toISOString()))),
    );
    const output = new CopyOutput(async () => {
      await connection.finish();
      // Set from the COPY's CommandComplete, which arrived before COMMIT's answer.
      return copy.rowCount;
    });
    // pg-copy-streams reports a failed COPY (or a closed connection) with a bare emit,
    // possibly after the pipeline is over: this listener keeps it from going uncaught.
    copy.on('error', (error) => output.destroy(error));
    // Before COMMIT, any close is a failure or a destroyed stream: no clean release.
    output.once('close', () => connection.discard());
    pipeline(copy, output, () => undefined);
    return output;
  }

  async openCursor(from: Date, to: Date): Promise<Readable> {
    const connection = await this.connections.hold({ replica: true });
    return Readable.from(batches(connection, from, to), { objectMode: true, highWaterMark: BATCH_SIZE });
  }
}

/**
 * Passes the COPY's bytes on, counting them; on end it runs `finish` (COMMIT and release)
 * before ending, and takes the row count from it.
 */
class CopyOutput extends Transform implements ExportStream {
  rows = 0;
  bytes = 0;

  constructor(private readonly finish: () => Promise<number>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.finish().then((rows) => {
      this.rows = rows;
      callback();
    }, callback);
  }
}

async function* batches(connection: HeldConnection, from: Date, to: Date): AsyncGenerator<BatchRow> {
  const { client } = connection;
  let failed = false;
  try {
    let rows = (await client.query<BatchRow>(FIRST_BATCH_SQL, [from, NIL_UUID, to])).rows;
    while (rows.length > 0) {
      yield* rows;
      if (rows.length < BATCH_SIZE) {
        return;
      }
      const last = rows[rows.length - 1];
      rows = (await client.query<BatchRow>(NEXT_BATCH_SQL, [last.cursor_at, last.id, to])).rows;
    }
  } catch (error) {
    failed = true;
    // A connection that dies between batches fails the next one with a bare "not
    // queryable": the connection's own error is the one to report.
    throw connection.failureOf(error);
  } finally {
    // A destroyed stream returns from a yield, between batches: the connection is idle and clean.
    if (failed) {
      connection.discard();
    } else {
      await connection.finish();
    }
  }
}
