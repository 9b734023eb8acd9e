import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';

const BATCH_SIZE = 1000;

/**
 * One page of the export in `(created_at, id)` order, served by `orders_created_idx`.
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
 * Orders for an export, `[from, to)`, read in keyset batches of BATCH_SIZE rows: each
 * batch is its own short statement, so an export of any size is never cut by the
 * per-statement timeout (a single cursor statement lives as long as the slowest
 * client, and the timeout cancelled it mid-way). The rows come on one connection taken
 * from the pool for the stream's life only; it goes back when the stream ends, fails or
 * is destroyed (a client that disconnects). A failed batch errors the stream.
 *
 * Batches are separate snapshots: a past range is stable, while a range reaching into
 * the present may include an order placed during the export (never a row twice).
 */
@Injectable()
export class OrdersExportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async openCursor(from: Date, to: Date): Promise<Readable> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    return Readable.from(batches(client, from, to), { objectMode: true, highWaterMark: BATCH_SIZE });
  }
}

async function* batches(client: PoolClient, from: Date, to: Date): AsyncGenerator<BatchRow> {
  let failure: Error | undefined;
  // A connection that dies between batches (server restart, terminated backend) says so
  // on the client; the next batch then fails with it. Without a listener it would crash.
  const onConnectionError = (error: Error) => {
    failure ??= error;
  };
  client.on('error', onConnectionError);
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
    failure ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onConnectionError);
    // Between batches the connection is idle and clean; after a failed one, discard it.
    client.release(failure);
  }
}
