import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort, RunningProcess, startBuiltApp, waitFor } from '../support/api-process';
import { adminEnv, bearer, login, register, Session } from '../support/auth-helpers';
import { addStock, createProduct, createWarehouse } from '../support/commerce-fixtures';
import { recordFigures } from '../support/figures';
import { httpInjector } from '../support/http-injector';
import { sleep } from '../support/load';
import { startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';

interface Attempt {
  key: string;
  status: number;
  startedAt: number;
  orderId?: string;
  contentType?: string;
  ms: number;
}

const CONNECT_TIMEOUT_MS = 1_000;

/**
 * A PostgreSQL of the test's own is stopped and started again while customers place
 * orders. During the gap the API answers 503 problem+json without hanging; the pool
 * reconnects by itself; and after every failed request is retried with its
 * Idempotency-Key, each key has exactly one order: none lost, none doubled.
 */
describe('PostgreSQL restarts under order traffic (built API process)', () => {
  let dataDir: string;
  let port: number;
  let pg: { url: string; stop(): Promise<void> };
  let api: RunningProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pg-restart-'));
    // As root, PostgreSQL runs as the postgres user, who must be able to enter it.
    await chmod(dataDir, 0o755);
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port });
  }, 120_000);

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await pg?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 quickly during the gap, recovers alone, and loses or doubles no order', async () => {
    const env = adminEnv();
    api = await startBuiltApp(
      'api',
      {
        ...env,
        DATABASE_URL: pg.url,
        DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        IDEMPOTENCY_LEASE_MS: '2000',
        REDIS_KEY_PREFIX: `pg-restart-${randomUUID()}`,
      },
      '/health/ready',
    );
    const http = httpInjector(api.port);
    const admin = await login(http, env.ADMIN_EMAIL);
    const product = await createProduct(http, admin.accessToken);
    const warehouse = await createWarehouse(http, admin.accessToken);
    await addStock(http, admin.accessToken, product.id, warehouse.id, 1_000_000);
    const customer: Session = await register(http);
    const items = [{ productId: product.id, quantity: 1 }];

    const place = async (key: string): Promise<Attempt> => {
      const started = Date.now();
      try {
        const response = await fetch(`http://127.0.0.1:${api.port}/v1/orders`, {
          method: 'POST',
          headers: { ...bearer(customer.accessToken), 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ items }),
          signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS + 5_000),
        });
        const body = (await response.json()) as { id?: string };
        return {
          key,
          status: response.status,
          startedAt: started,
          orderId: response.status === 201 ? body.id : undefined,
          contentType: response.headers.get('content-type') ?? '',
          ms: Date.now() - started,
        };
      } catch {
        return { key, status: 0, startedAt: started, ms: Date.now() - started };
      }
    };

    const attempts: Attempt[] = [];
    let running = true;
    // A process that died (an unhandled error on a lost connection ends it) fails the test
    // at once, instead of the clients spinning on refused connections until the timeout.
    let apiExit: number | null | undefined;
    void api.exited.then((code) => {
      apiExit = code;
      running = false;
    });
    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        attempts.push(await place(randomUUID()));
      }
    });

    await sleep(1_500);
    const stoppedAt = Date.now();
    await pg.stop();
    await sleep(2_000);
    pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port });
    const restartedAt = Date.now();
    await waitFor(
      () =>
        apiExit !== undefined || attempts.some((attempt) => attempt.status === 201 && attempt.startedAt >= restartedAt),
      30_000,
    );
    expect({ apiExit, output: apiExit === undefined ? '' : api.output().slice(-2_000) }).toEqual({
      apiExit: undefined,
      output: '',
    });
    const recoveredMs = Date.now() - restartedAt;
    await sleep(1_000);
    running = false;
    await Promise.all(clients);

    const failed = attempts.filter((attempt) => attempt.status !== 201);
    recordFigures('postgres-restart', {
      requests: attempts.length,
      duringGap: attempts.filter((attempt) => attempt.status !== 201).length,
      statuses: countBy(attempts.map((attempt) => attempt.status)),
      slowestFailureMs: Math.max(0, ...failed.map((attempt) => attempt.ms)),
      gapMs: restartedAt - stoppedAt,
      recoveredMs,
    });

    // The gap was seen, and every failure was a quick, well-formed 503.
    expect(failed.length).toBeGreaterThan(0);
    const unexpected = failed.filter(
      (attempt) => attempt.status !== 503 || !attempt.contentType?.includes('application/problem+json'),
    );
    const errorLog = api
      .output()
      .split('\n')
      .filter((line) => line.includes('unhandled error'))
      .slice(0, 3);
    expect({ unexpected: unexpected.map((attempt) => attempt.status), errorLog }).toEqual({
      unexpected: [],
      errorLog: [],
    });

    // Retrying each failed request with its key completes it exactly once. A claim
    // whose request died with the database answers 409 IDEMPOTENCY_IN_PROGRESS until
    // its lease (IDEMPOTENCY_LEASE_MS) lapses, as the contract says: retry shortly.
    const retry = async (attempt: Attempt): Promise<void> => {
      let retried = await place(attempt.key);
      const deadline = Date.now() + 20_000;
      while (retried.status === 409 && Date.now() < deadline) {
        await sleep(250);
        retried = await place(attempt.key);
      }
      expect(retried.status).toBe(201);
      attempt.orderId = retried.orderId;
    };
    const queue = [...failed];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let attempt = queue.shift(); attempt; attempt = queue.shift()) {
          await retry(attempt);
        }
      }),
    );
    const placed = attempts.map((attempt) => attempt.orderId);
    expect(new Set(placed).size).toBe(attempts.length);

    const db = new Client({ connectionString: pg.url });
    await db.connect();
    try {
      const rows = (await db.query<{ id: string }>('SELECT id FROM orders WHERE user_id = $1', [customer.user.id]))
        .rows;
      expect(rows.map((row) => row.id).sort()).toEqual([...placed].sort());
    } finally {
      await db.end();
    }
  }, 180_000);
});

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) {
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}
