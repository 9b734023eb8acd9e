import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../../support/commerce-fixtures';

import { createTestApp } from '../../support/test-app';

async function ledgerMatches(dataSource: DataSource, productId: string): Promise<void> {
  const rows = await dataSource.query(
    `SELECT s.warehouse_id, s.on_hand, s.reserved,
            (SELECT COALESCE(SUM(m.on_hand_delta), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id)::int AS ledger_on_hand,
            (SELECT COALESCE(SUM(m.reserved_delta), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id)::int AS ledger_reserved
       FROM stock_levels s WHERE s.product_id = $1`,
    [productId],
  );
  for (const row of rows) {
    expect(row.on_hand).toBe(row.ledger_on_hand);
    expect(row.reserved).toBe(row.ledger_reserved);
    expect(row.reserved).toBeGreaterThanOrEqual(0);
    expect(row.reserved).toBeLessThanOrEqual(row.on_hand);
  }
}

describe('inventory and orders (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;
  let dataSource: DataSource;

  beforeAll(async () => {
    const env = adminEnv();
    // 200 requests queue for 20 connections behind one row lock: on a loaded CI machine the
    // wait for a connection can pass the 3 s default, which would be a 503, not an oversell.
    app = await createTestApp({ ...env, DB_POOL_SIZE: '20', DB_CONNECT_TIMEOUT_MS: '20000' });
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app.close();
  });

  it('200 concurrent orders of 1 unit against 50 on hand: exactly 50 succeed, 150 get 409, no 5xx', async () => {
    const product = await createProduct(app, admin.accessToken);
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 50);
    const buyers = await Promise.all(Array.from({ length: 10 }, () => register(app)));

    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        placeOrder(app, buyers[i % buyers.length].accessToken, [{ productId: product.id, quantity: 1 }]),
      ),
    );
    // The whole distribution in one assertion, so a failure shows every status that came back.
    const counts: Record<number, number> = {};
    for (const { statusCode } of responses) {
      counts[statusCode] = (counts[statusCode] ?? 0) + 1;
    }
    expect({
      counts,
      unexpected: responses
        .filter((r) => r.statusCode !== 201 && r.statusCode !== 409)
        .map((r) => r.body)
        .slice(0, 3),
    }).toEqual({
      counts: { 201: 50, 409: 150 },
      unexpected: [],
    });
    expect(responses.find((r) => r.statusCode === 409)!.json().code).toBe('INVENTORY_INSUFFICIENT');

    const inventory = (
      await app.inject({ method: 'GET', url: `/v1/inventory/${product.id}`, headers: bearer(admin.accessToken) })
    ).json();
    expect(inventory).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    await ledgerMatches(dataSource, product.id);
  });

  it('reserves across warehouses in code order, and reserves nothing when a second line lacks stock', async () => {
    const a = await createProduct(app, admin.accessToken);
    const b = await createProduct(app, admin.accessToken);
    const suffix = randomUUID().slice(0, 4);
    const w1 = await createWarehouse(app, admin.accessToken, `A-${suffix}`);
    const w2 = await createWarehouse(app, admin.accessToken, `B-${suffix}`);
    await addStock(app, admin.accessToken, a.id, w1.id, 3);
    await addStock(app, admin.accessToken, a.id, w2.id, 3);
    await addStock(app, admin.accessToken, b.id, w1.id, 1);

    const failed = await placeOrder(app, customer.accessToken, [
      { productId: a.id, quantity: 5 },
      { productId: b.id, quantity: 2 },
    ]);
    expect(failed.statusCode).toBe(409);
    const stockA = (
      await app.inject({ method: 'GET', url: `/v1/inventory/${a.id}`, headers: bearer(admin.accessToken) })
    ).json();
    expect(stockA.reserved).toBe(0);

    const placed = await placeOrder(app, customer.accessToken, [{ productId: a.id, quantity: 5 }]);
    expect(placed.statusCode).toBe(201);
    const split = (
      await app.inject({ method: 'GET', url: `/v1/inventory/${a.id}`, headers: bearer(admin.accessToken) })
    ).json();
    expect(split.warehouses.map((w: { reserved: number }) => w.reserved)).toEqual([3, 2]);
    await ledgerMatches(dataSource, a.id);
  });

  it('places an order with prices copied, and cancels it once, releasing the stock', async () => {
    const product = await createProduct(app, admin.accessToken, { priceCents: 750 });
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 10);
    const placed = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 4 }]);
    expect(placed.statusCode).toBe(201);
    const order = placed.json();
    expect(order).toMatchObject({
      status: 'placed',
      totalCents: 3000,
      currency: 'EUR',
      items: [{ productId: product.id, quantity: 4, unitPriceCents: 750 }],
    });

    await app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.id}`,
      headers: bearer(admin.accessToken),
      payload: { priceCents: 9999 },
    });
    const again = (
      await app.inject({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(customer.accessToken) })
    ).json();
    expect(again.items[0].unitPriceCents).toBe(750);

    const cancelled = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: bearer(customer.accessToken),
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const twice = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: bearer(customer.accessToken),
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ORDER_NOT_CANCELLABLE');
    const stock = (
      await app.inject({ method: 'GET', url: `/v1/inventory/${product.id}`, headers: bearer(admin.accessToken) })
    ).json();
    expect(stock).toMatchObject({ onHand: 10, reserved: 0 });
    await ledgerMatches(dataSource, product.id);
  });

  it("reports another customer's order as 404 and lists only one's own", async () => {
    const product = await createProduct(app, admin.accessToken);
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 5);
    const order = (await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 1 }])).json();
    const other = await register(app);
    expect(
      (await app.inject({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(other.accessToken) }))
        .statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'POST', url: `/v1/orders/${order.id}/cancel`, headers: bearer(other.accessToken) }))
        .statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/orders', headers: bearer(other.accessToken) })).json().items,
    ).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(admin.accessToken) }))
        .statusCode,
    ).toBe(200);
    const mine = (
      await app.inject({ method: 'GET', url: '/v1/orders?limit=100', headers: bearer(customer.accessToken) })
    ).json();
    expect(mine.items.map((o: { id: string }) => o.id)).toContain(order.id);
  });

  it('rejects inactive or unknown products and mixed currencies with 422, bad bodies with 400', async () => {
    const eur = await createProduct(app, admin.accessToken, { currency: 'EUR' });
    const usd = await createProduct(app, admin.accessToken, { currency: 'USD' });
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, eur.id, warehouse.id, 5);
    await addStock(app, admin.accessToken, usd.id, warehouse.id, 5);
    const mixed = await placeOrder(app, customer.accessToken, [
      { productId: eur.id, quantity: 1 },
      { productId: usd.id, quantity: 1 },
    ]);
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json().code).toBe('ORDER_CURRENCY_MISMATCH');
    const unknown = await placeOrder(app, customer.accessToken, [{ productId: randomUUID(), quantity: 1 }]);
    expect(unknown.statusCode).toBe(422);
    await app.inject({ method: 'DELETE', url: `/v1/products/${usd.id}`, headers: bearer(admin.accessToken) });
    expect((await placeOrder(app, customer.accessToken, [{ productId: usd.id, quantity: 1 }])).statusCode).toBe(422);
    for (const items of [
      [],
      [{ productId: eur.id, quantity: 0 }],
      [{ productId: eur.id, quantity: 1001 }],
      Array.from({ length: 51 }, () => ({ productId: eur.id, quantity: 1 })),
    ]) {
      expect((await placeOrder(app, customer.accessToken, items)).statusCode).toBe(400);
    }
    const withoutKey = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: bearer(customer.accessToken),
      payload: { items: [{ productId: eur.id, quantity: 1 }] },
    });
    expect(withoutKey.statusCode).toBe(400);
    expect(withoutKey.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('Idempotency-Key: a replay returns the same order once, another body is 422, concurrent sends make one order', async () => {
    const product = await createProduct(app, admin.accessToken);
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 10);
    const key = randomUUID();
    const first = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 2 }], key);
    const replay = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 2 }], key);
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 3 }], key);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');

    const concurrentKey = randomUUID();
    const both = await Promise.all([
      placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 1 }], concurrentKey),
      placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 1 }], concurrentKey),
    ]);
    expect(both.map((r) => r.statusCode).filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(both.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const stock = (
      await app.inject({ method: 'GET', url: `/v1/inventory/${product.id}`, headers: bearer(admin.accessToken) })
    ).json();
    expect(stock.reserved).toBe(3);
  });

  it('keeps inventory totals cached until a stock change, computed in SQL', async () => {
    const first = await app.inject({ method: 'GET', url: '/v1/inventory/totals', headers: bearer(admin.accessToken) });
    expect(first.statusCode).toBe(200);
    const second = await app.inject({ method: 'GET', url: '/v1/inventory/totals', headers: bearer(admin.accessToken) });
    expect(second.headers['x-cache']).toBe('HIT');
    const product = await createProduct(app, admin.accessToken, { priceCents: 100, currency: 'EUR' });
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 7);
    const after = await app.inject({ method: 'GET', url: '/v1/inventory/totals', headers: bearer(admin.accessToken) });
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.json().onHand).toBe(first.json().onHand + 7);
    expect(BigInt(after.json().valueCents.EUR)).toBe(BigInt(first.json().valueCents.EUR ?? 0) + 700n);
    const [sql] = await dataSource.query(
      'SELECT SUM(on_hand)::int AS on_hand, SUM(reserved)::int AS reserved FROM stock_levels',
    );
    expect(after.json()).toMatchObject({ onHand: sql.on_hand, reserved: sql.reserved });
  });

  it('refuses to take on-hand below reserved (409) and keeps the ledger append-only', async () => {
    const product = await createProduct(app, admin.accessToken);
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 5);
    const placed = await placeOrder(app, customer.accessToken, [{ productId: product.id, quantity: 4 }]);
    expect(placed.body).toContain('"status":"placed"');
    const tooMuch = await app.inject({
      method: 'POST',
      url: '/v1/inventory/adjustments',
      headers: bearer(admin.accessToken),
      payload: { productId: product.id, warehouseId: warehouse.id, delta: -2, reason: 'shrinkage' },
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('INVENTORY_INSUFFICIENT');
    await expect(dataSource.query('DELETE FROM stock_movements WHERE product_id = $1', [product.id])).rejects.toThrow(
      /append-only/,
    );
    await ledgerMatches(dataSource, product.id);
  });
});
