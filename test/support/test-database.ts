import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database name unique to this test run, so concurrent runs never collide. */
export function uniqueRunName(): string {
  return `test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of one spec's own on the run's server (the app applies the migrations
 * at start), for a spec that must see only its own writes while other specs run.
 */
export async function createIsolatedDatabase(suffix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_SERVER_DATABASE_URL!;
  const name = `${process.env.TEST_RUN_NAME}_${suffix}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(serverUrl, name),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Row counts and last updates of every table a request could change: equal before and after means nothing changed. */
export async function databaseFingerprint(dataSource: { query(sql: string): Promise<unknown> }): Promise<string> {
  return JSON.stringify(
    await dataSource.query(`
        SELECT (SELECT count(*) FROM users) AS users, (SELECT max(updated_at) FROM users) AS users_at,
               (SELECT count(*) FROM refresh_tokens) AS refresh_tokens,
               (SELECT count(*) FROM products) AS products, (SELECT max(updated_at) FROM products) AS products_at,
               (SELECT count(*) FROM warehouses) AS warehouses,
               (SELECT count(*) FROM stock_movements) AS movements,
               (SELECT count(*) FROM orders) AS orders, (SELECT max(updated_at) FROM orders) AS orders_at,
               (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM subscriptions) AS subscriptions,
               (SELECT count(*) FROM invoices) AS invoices, (SELECT count(*) FROM files) AS files,
               (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM outbox_messages) AS outbox,
               (SELECT count(*) FROM idempotency_keys) AS idempotency_keys`),
  );
}
