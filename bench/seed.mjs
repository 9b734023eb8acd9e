// Seeds the benchmark database once (100,000 products, 1,000 users, 20 warehouses,
// 1,000,000 orders) with set-based SQL; a later run finds the counts and skips the inserts
// (it still runs ANALYZE; BENCH_SKIP_SEED=1 skips both).
import pg from 'pg';

export const SIZES = { products: 100_000, users: 1_000, warehouses: 20, orders: 1_000_000 };

export async function ensureDatabase(serverUrl, name) {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) {
    await admin.query(`CREATE DATABASE "${name}"`);
  }
  await admin.end();
  return withDatabase(serverUrl, name);
}

/**
 * The data set is kept between runs, and so is the admin an earlier run created, with the
 * password of its day: removing it lets the API create it again from ADMIN_PASSWORD.
 */
export async function forgetAdmin(databaseUrl, email) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM refresh_tokens WHERE user_id IN (SELECT id FROM users WHERE email = $1)', [email]);
    await client.query('DELETE FROM users WHERE email = $1', [email]);
  } catch (error) {
    // A new database has no tables yet: nothing to forget.
    if (error.code !== '42P01') throw error;
  } finally {
    await client.end();
  }
}

export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Run after the API has applied the migrations. */
export async function seed(databaseUrl, log) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const count = async (table) => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const started = Date.now();
  if ((await count('warehouses')) < SIZES.warehouses) {
    await client.query(`INSERT INTO warehouses (id, code, name) SELECT gen_random_uuid(), 'BW' || lpad(n::text, 2, '0'), 'Bench ' || n FROM generate_series(1, $1) n ON CONFLICT DO NOTHING`, [SIZES.warehouses]);
  }
  if ((await count('products')) < SIZES.products) {
    log('seeding 100,000 products with stock');
    await client.query(`
      INSERT INTO products (id, sku, name, description, price_cents, currency)
      SELECT gen_random_uuid(), 'BENCH-' || n, 'Bench product ' || n, 'A product of the benchmark data set', 100 + n % 10000, 'EUR'
        FROM generate_series(1, $1) n ON CONFLICT DO NOTHING`, [SIZES.products]);
    await client.query(`
      INSERT INTO stock_levels (product_id, warehouse_id, on_hand)
      SELECT p.id, w.id, 1000 FROM products p CROSS JOIN LATERAL (SELECT id FROM warehouses ORDER BY code LIMIT 2) w
      ON CONFLICT DO NOTHING`);
    await client.query(`
      INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason)
      SELECT gen_random_uuid(), product_id, warehouse_id, on_hand, 0, 'bench seed' FROM stock_levels s
       WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id)`);
  }
  if ((await count('users')) < SIZES.users) {
    log('seeding 1,000 users');
    await client.query(`
      INSERT INTO users (id, email, name, password_hash)
      SELECT gen_random_uuid(), 'bench-' || n || '@bench.local', 'Bench user ' || n, 'not-a-login'
        FROM generate_series(1, $1) n ON CONFLICT DO NOTHING`, [SIZES.users]);
  }
  if ((await count('orders')) < SIZES.orders) {
    log('seeding 1,000,000 orders (about a minute, once)');
    await client.query(`
      WITH o AS (
        INSERT INTO orders (id, user_id, status, total_cents, currency, created_at)
        SELECT gen_random_uuid(), gen_random_uuid(), 'placed', 100 + n % 5000, 'EUR', timestamptz '2025-01-01' + n * interval '10 seconds'
          FROM generate_series(1, $1) n
        RETURNING id, total_cents)
      INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
      SELECT id, gen_random_uuid(), 1, total_cents FROM o`, [SIZES.orders]);
  }
  await client.query('ANALYZE');
  await client.end();
  return Date.now() - started;
}

/**
 * Scenario (e) places orders on these products: every stock level of theirs with fewer
 * than `minimum` units free gets back to `target` free, booked in the ledger like any
 * receipt (a movement per change), so runs after runs never drain the stock into 409s.
 */
export async function topUpStock(databaseUrl, productIds, { minimum = 500, target = 1000 } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rowCount } = await client.query(
      `WITH low AS (
         SELECT product_id, warehouse_id, $3::int - (on_hand - reserved) AS delta FROM stock_levels
          WHERE product_id = ANY($1::uuid[]) AND on_hand - reserved < $2 FOR UPDATE),
       raised AS (
         UPDATE stock_levels s SET on_hand = s.on_hand + low.delta, updated_at = now()
           FROM low WHERE s.product_id = low.product_id AND s.warehouse_id = low.warehouse_id
         RETURNING s.product_id, s.warehouse_id, low.delta)
       INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason)
       SELECT gen_random_uuid(), product_id, warehouse_id, delta, 0, 'bench top-up' FROM raised`,
      [productIds, minimum, target],
    );
    await client.query('COMMIT');
    return rowCount;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

/** One query's rows on a short-lived connection. */
export async function queryRows(databaseUrl, sql, params = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
