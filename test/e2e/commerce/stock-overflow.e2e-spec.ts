import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse } from '../../support/commerce-fixtures';
import { createTestApp } from '../../support/test-app';

/** on_hand is a PostgreSQL integer (int4): the API refuses to go past it instead of failing with a 500. */
const INT4_MAX = 2_147_483_647;

describe('stock adjustments near the on-hand limit (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let dataSource: DataSource;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    admin = await login(app, env.ADMIN_EMAIL);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app.close();
  });

  const adjust = (productId: string, warehouseId: string, delta: number) =>
    app.inject({
      method: 'POST',
      url: '/v1/inventory/adjustments',
      headers: bearer(admin.accessToken),
      payload: { productId, warehouseId, delta, reason: 'overflow test' },
    });
  const stockRow = async (productId: string, warehouseId: string) =>
    (
      await dataSource.query<Array<{ on_hand: number }>>(
        'SELECT on_hand FROM stock_levels WHERE product_id = $1 AND warehouse_id = $2',
        [productId, warehouseId],
      )
    )[0];
  const movements = async (productId: string) =>
    Number(
      (
        await dataSource.query<Array<{ n: string }>>(
          'SELECT count(*) AS n FROM stock_movements WHERE product_id = $1',
          [productId],
        )
      )[0].n,
    );

  it('answers 422 INVENTORY_LIMIT_EXCEEDED, changing nothing, where the old code gave 500 integer out of range', async () => {
    const product = await createProduct(app, admin.accessToken);
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 1);
    // 2,147 adjustments of +1,000,000 take this long through the API; the row is put there directly.
    await dataSource.query('UPDATE stock_levels SET on_hand = $3 WHERE product_id = $1 AND warehouse_id = $2', [
      product.id,
      warehouse.id,
      INT4_MAX - 500_000,
    ]);
    const before = await movements(product.id);

    const over = await adjust(product.id, warehouse.id, 1_000_000);
    expect(over.statusCode).toBe(422);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.json().code).toBe('INVENTORY_LIMIT_EXCEEDED');
    expect((await stockRow(product.id, warehouse.id)).on_hand).toBe(INT4_MAX - 500_000);
    expect(await movements(product.id)).toBe(before);

    const upToTheLimit = await adjust(product.id, warehouse.id, 500_000);
    expect(upToTheLimit.statusCode).toBe(201);
    expect(upToTheLimit.json().onHand).toBe(INT4_MAX);
    const oneMore = await adjust(product.id, warehouse.id, 1);
    expect(oneMore.statusCode).toBe(422);
    expect(oneMore.json().code).toBe('INVENTORY_LIMIT_EXCEEDED');

    // Taking stock out still works at the limit, and the aggregates add up past int4 without a 500.
    expect((await adjust(product.id, warehouse.id, -1_000_000)).statusCode).toBe(201);
    const second = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, second.id, 1);
    await dataSource.query('UPDATE stock_levels SET on_hand = $3 WHERE product_id = $1 AND warehouse_id = $2', [
      product.id,
      second.id,
      INT4_MAX,
    ]);
    const inventory = await app.inject({
      method: 'GET',
      url: `/v1/inventory/${product.id}`,
      headers: bearer(admin.accessToken),
    });
    expect(inventory.statusCode).toBe(200);
    expect(inventory.json().onHand).toBe(2 * INT4_MAX - 1_000_000);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/inventory/totals', headers: bearer(admin.accessToken) })).statusCode,
    ).toBe(200);
  });
});
