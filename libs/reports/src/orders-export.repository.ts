import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';

const EXPORT_SQL = `
  SELECT o.id, o.user_id, o.status,
         (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS item_count,
         o.total_cents, o.currency, o.created_at
    FROM orders o
   WHERE o.created_at >= $1 AND o.created_at < $2
   ORDER BY o.created_at, o.id`;

/**
 * Orders for an export, read through a server-side cursor (pg-query-stream, 1000 rows
 * per fetch) on a connection taken from the pool for the stream's life only: it goes
 * back the moment the stream ends, fails or is destroyed (a client that disconnects).
 */
@Injectable()
export class OrdersExportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async openCursor(from: Date, to: Date): Promise<Readable> {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    const stream = client.query(new QueryStream(EXPORT_SQL, [from, to], { batchSize: 1000 }));
    let released = false;
    const release = (error?: Error) => {
      if (!released) {
        released = true;
        // A cursor cut off mid-way leaves the connection in an unknown state: discard it.
        client.release(error ?? (stream.readableEnded ? undefined : new Error('export stream closed early')));
      }
    };
    stream.once('end', () => release());
    stream.once('error', (error: Error) => release(error));
    stream.once('close', () => release());
    return stream;
  }
}
