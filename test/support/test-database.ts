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
