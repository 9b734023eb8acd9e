import { Database, MetricsService, StreamingConnections } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../../support/api-process';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../../support/commerce-fixtures';
import { ReplicatedPostgres, sql, startStreamingReplica } from '../../support/streaming-replica';
import { createTestApp } from '../../support/test-app';

/** This helper's port range: the primary and the replica take the first two free ones. */
const PORTS = Array.from({ length: 20 }, (_, i) => 4140 + i);

/**
 * A primary with a real streaming replica, the app booted with DATABASE_READ_URLS. With
 * replay paused on the replica, a write on the primary is missing from the lag-tolerant
 * reads (products list, sales report, exports) and present in everything else: that is
 * where each read ran. Every read below uses a query string of its own, so no answer comes
 * from the response cache.
 */
describe('read replicas (DATABASE_READ_URLS, real streaming replica)', () => {
  let cluster: ReplicatedPostgres;
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;
  let queries = 0;
  const tag = `replica-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    cluster = await startStreamingReplica(`replicas_${randomUUID().slice(0, 8)}`, PORTS);
    const env = adminEnv();
    app = await createTestApp({
      ...env,
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_READ_URLS: cluster.replicaUrl,
      // The in-memory cache and in-process bus: nothing shared with other runs.
      REDIS_URL: undefined,
      AMQP_URL: undefined,
    });
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  const get = async (url: string, token = admin.accessToken) => {
    const response = await app.inject({ method: 'GET', url, headers: bearer(token) });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    return response;
  };
  /** A fresh `limit` makes each list read a cache miss. */
  const listedNames = async () => {
    const response = await get(`/v1/products?q=${tag}&limit=${100 - ++queries}`);
    return (response.json().items as Array<{ name: string }>).map((item) => item.name).sort();
  };
  const dayStart = new Date(new Date().toISOString().slice(0, 10)).toISOString();
  const SALES_DAY = '2043-01-01T00:00:00.000Z';
  /** The orders of the sales report's day; a fresh end second makes each read a cache miss. */
  const salesOrders = async () => {
    const to = new Date(Date.parse(SALES_DAY) + 3_600_000 + ++queries * 1000).toISOString();
    const rows = (await get(`/v1/reports/sales?from=${SALES_DAY}&to=${to}`)).json<Array<{ orders: number }>>();
    return rows.reduce((sum, row) => sum + row.orders, 0);
  };
  /** The sales rollup's row, written as its consumer would (the rollup itself has its own tests). */
  const rollUp = (orders: number) =>
    sql(
      cluster.primaryUrl,
      `INSERT INTO daily_sales (day, currency, orders, units, revenue_cents) VALUES ('${SALES_DAY.slice(0, 10)}', 'EUR', ${orders}, ${orders}, ${orders * 1000})
       ON CONFLICT (day, currency) DO UPDATE SET orders = EXCLUDED.orders`,
    );
  const exported = async (format: 'csv' | 'ndjson') =>
    (await get(`/v1/reports/orders.${format}?from=${dayStart}&to=${new Date(Date.now() + 3_600_000).toISOString()}`))
      .body;
  const order = async (productId: string) => {
    const response = await placeOrder(app, customer.accessToken, [{ productId, quantity: 1 }]);
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string }>().id;
  };
  it('sends lists, reports and exports to the replica; by-id reads and reads after a write to the primary', async () => {
    const product = await createProduct(app, admin.accessToken, { name: `${tag} before` });
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 10);
    const firstOrder = await order(product.id);
    await rollUp(1);
    await cluster.caughtUp();
    expect(await listedNames()).toEqual([`${tag} before`]);

    await cluster.pauseReplay();
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.id}`,
      headers: bearer(admin.accessToken),
      payload: { name: `${tag} after` },
    });
    expect(renamed.statusCode).toBe(200);
    const added = await createProduct(app, admin.accessToken, { name: `${tag} added` });
    const secondOrder = await order(product.id);
    await rollUp(2);

    // Read-your-own-writes: by-id reads run on the primary.
    expect((await get(`/v1/products/${product.id}`)).json().name).toBe(`${tag} after`);
    expect((await get(`/v1/products/${added.id}`)).json().name).toBe(`${tag} added`);
    expect((await get(`/v1/orders/${secondOrder}`, customer.accessToken)).json().id).toBe(secondOrder);
    // Lag-tolerant reads: the replica, which stopped before the writes.
    expect(await listedNames()).toEqual([`${tag} before`]);
    expect(await salesOrders()).toBe(1);
    for (const format of ['csv', 'ndjson'] as const) {
      const body = await exported(format);
      expect({ format, first: body.includes(firstOrder), second: body.includes(secondOrder) }).toEqual({
        format,
        first: true,
        second: false,
      });
    }

    // The same reads catch up with the replica.
    await cluster.resumeReplay();
    await cluster.caughtUp();
    expect(await listedNames()).toEqual([`${tag} added`, `${tag} after`]);
    expect(await salesOrders()).toBe(2);
    expect(await exported('csv')).toContain(secondOrder);
  });

  it('drops a cached list loaded from a lagging replica again once the replica has replayed the write', async () => {
    const product = await createProduct(app, admin.accessToken, { name: `${tag}-cached v1` });
    await cluster.caughtUp();
    const url = `/v1/products?q=${tag}-cached&limit=10`;
    const names = (response: { json(): unknown }) =>
      (response.json() as { items: Array<{ name: string }> }).items.map((item) => item.name);

    await cluster.pauseReplay();
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.id}`,
      headers: bearer(admin.accessToken),
      payload: { name: `${tag}-cached v2` },
    });
    expect(renamed.statusCode).toBe(200);
    // Loaded after the write's invalidation, from the replica that has not replayed it: cached stale.
    const loaded = await get(url);
    expect({ names: names(loaded), cache: loaded.headers['x-cache'] }).toEqual({
      names: [`${tag}-cached v1`],
      cache: 'MISS',
    });
    expect((await get(url)).headers['x-cache']).toBe('HIT');

    // The write's second invalidation waits for the replica; then the same URL loads afresh.
    await cluster.resumeReplay();
    let last: string[] = [];
    await waitFor(
      async () => (last = names(await get(url)))[0] === `${tag}-cached v2`,
      20_000,
      () => `the cached list still says ${JSON.stringify(last)} (CACHE_TTL_MS is 60 s)`,
    );
  });

  it('keeps every read of a transaction, lag-tolerant or not, on the primary', async () => {
    const db = app.get(Database);
    const txHost = app.get(TransactionHost);
    const standby = async (read: () => Promise<{ standby: boolean } | null>) => (await read())?.standby;
    const probe = 'SELECT pg_is_in_recovery() AS standby';

    expect(await standby(() => db.replica.one(probe))).toBe(true);
    expect(await standby(() => db.one(probe))).toBe(false);
    expect(await txHost.withTransaction(() => standby(() => db.replica.one(probe)))).toBe(false);
    expect(await txHost.withTransaction(async () => (await db.replica.query(probe))[0].standby)).toBe(false);

    const connections = app.get(StreamingConnections);
    for (const [replica, expected] of [
      [true, true],
      [false, false],
    ] as const) {
      const held = await connections.hold({ replica });
      const { rows } = await held.client.query(probe);
      await held.finish();
      expect({ replica, standby: rows[0].standby }).toEqual({ replica, standby: expected });
    }
  });

  it("reports each replica's pool on /metrics beside the primary's", async () => {
    const metrics = await app.get(MetricsService).render();
    expect(metrics).toMatch(/^db_pool_clients\{state="total"\} [1-9]/m);
    expect(metrics).toMatch(/^db_replica_pool_clients\{replica="0",state="total"\} [1-9]/m);
  });

  it('without DATABASE_READ_URLS, lag-tolerant reads are the primary object itself: nothing added per statement', async () => {
    const primaryOnly = await createTestApp({
      DATABASE_URL: cluster.primaryUrl,
      REDIS_URL: undefined,
      AMQP_URL: undefined,
    });
    try {
      const db = primaryOnly.get(Database);
      expect(db.replica).toBe(db);
      expect(await primaryOnly.get(MetricsService).render()).not.toContain('db_replica_pool_clients');
      expect((await db.replica.one<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby'))?.standby).toBe(
        false,
      );
    } finally {
      await primaryOnly.close();
    }
  });
});
