import { DataSource } from 'typeorm';

/**
 * Inserts `count` orders with one line each, created one second apart from `from`,
 * straight in SQL: the export tests need volume, not the order-placing rules.
 */
export async function seedOrders(dataSource: DataSource, from: string, count: number): Promise<void> {
  await dataSource.query(
    `WITH o AS (
       INSERT INTO orders (id, user_id, status, total_cents, currency, created_at)
       SELECT gen_random_uuid(), gen_random_uuid(), CASE WHEN n % 7 = 0 THEN 'cancelled' ELSE 'placed' END, n * 10, 'EUR',
              $1::timestamptz + n * interval '1 second'
         FROM generate_series(1, $2) AS n
       RETURNING id, total_cents)
     INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
     SELECT id, gen_random_uuid(), 1 + (total_cents / 10) % 3, 10 FROM o`,
    [from, count],
  );
}

interface TrackedPool {
  _clients: Array<{ processID: number }>;
  on(event: 'connect', listener: (client: { processID: number }) => void): void;
}

/**
 * The PostgreSQL backend pids of one DataSource's pool, those connected now and every one
 * connected later. The suites of a run share one database and run in parallel, so a test
 * that looks for (or terminates) export queries must only see its own app's.
 */
export function trackBackends(dataSource: DataSource): Set<number> {
  const pool = (dataSource.driver as unknown as { master: TrackedPool }).master;
  const pids = new Set(pool._clients.map((client) => client.processID));
  pool.on('connect', (client) => pids.add(client.processID));
  return pids;
}
