import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

/** 2^53 + 1: the first integer a JSON number (an IEEE double) cannot hold. */
const PAST_2_53 = 9_007_199_254_740_993n;

describe('sales report range and money sums past 2^53 (e2e)', () => {
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

  const sales = async (from: string, to: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/reports/sales?from=${from}&to=${to}`,
      headers: bearer(admin.accessToken),
    });
    expect(response.statusCode).toBe(200);
    return response.json<Array<{ day: string; orders: number; revenueCents: unknown; currency: string }>>();
  };

  it('takes [from, to) as timestamps: a day partly inside the range is included, the day `to` starts is not', async () => {
    await dataSource.query(
      `INSERT INTO daily_sales (day, currency, orders, units, revenue_cents)
       VALUES ('2041-11-30', 'EUR', 100, 100, 1000), ('2041-12-01', 'EUR', 488, 900, 48800), ('2041-12-02', 'EUR', 7, 7, 700)`,
    );
    const lastDay = await sales('2041-12-01T00:00:00Z', '2041-12-01T23:59:59Z');
    expect(lastDay.map((row) => [row.day, row.orders])).toEqual([['2041-12-01', 488]]);

    const partlyInside = await sales('2041-11-30T12:00:00.000Z', '2041-12-02T00:00:00.000Z');
    expect(partlyInside.map((row) => row.day)).toEqual(['2041-11-30', '2041-12-01']);

    const oneSecondOfTheNextDay = await sales('2041-11-30T23:59:59.000Z', '2041-12-01T00:00:01.000Z');
    expect(oneSecondOfTheNextDay.map((row) => row.day)).toEqual(['2041-11-30', '2041-12-01']);
  });

  it('returns a daily revenue past 2^53 exactly, as a string of digits', async () => {
    await dataSource.query(
      `INSERT INTO daily_sales (day, currency, orders, units, revenue_cents) VALUES ('2042-03-01', 'EUR', 1, 1, $1)`,
      [PAST_2_53.toString()],
    );
    const [row] = await sales('2042-03-01T00:00:00.000Z', '2042-03-02T00:00:00.000Z');
    expect(row.revenueCents).toBe('9007199254740993');
  });

  it('returns an inventory value past 2^53 exactly, as a string of digits', async () => {
    // XTS is ISO 4217's code for testing: no other test's stock is counted in it.
    const productId = randomUUID();
    const warehouseId = randomUUID();
    const price = 2_147_483_647; // the largest price_cents the column holds
    // 2^22 + 1 units: the value passes 2^53 while the run's total on-hand stays an int for
    // the other specs that share this database (the stock goes back to zero at the end).
    const units = 4_194_305;
    await dataSource.query(
      `INSERT INTO products (id, sku, name, price_cents, currency) VALUES ($1, $2, 'Costly', $3, 'XTS')`,
      [productId, `XTS-${productId}`, price],
    );
    await dataSource.query(`INSERT INTO warehouses (id, code, name) VALUES ($1, $2, 'Vault')`, [
      warehouseId,
      `V-${warehouseId.slice(0, 8)}`,
    ]);
    await dataSource.query(`INSERT INTO stock_levels (product_id, warehouse_id, on_hand) VALUES ($1, $2, $3)`, [
      productId,
      warehouseId,
      units - 1,
    ]);
    await dataSource.query(
      `INSERT INTO stock_movements (id, product_id, warehouse_id, on_hand_delta, reserved_delta, reason) VALUES ($1, $2, $3, $4, 0, 'seed')`,
      [randomUUID(), productId, warehouseId, units - 1],
    );
    // One unit through the API: the ledger stays whole and the cached totals are invalidated.
    try {
      const adjusted = await app.inject({
        method: 'POST',
        url: '/v1/inventory/adjustments',
        headers: bearer(admin.accessToken),
        payload: { productId, warehouseId, delta: 1, reason: 'count' },
      });
      expect(adjusted.statusCode).toBe(201);

      const totals = await app.inject({
        method: 'GET',
        url: '/v1/inventory/totals',
        headers: bearer(admin.accessToken),
      });
      expect(totals.statusCode).toBe(200);
      const expected = BigInt(price) * BigInt(units);
      expect(expected > PAST_2_53).toBe(true);
      expect(totals.json<{ valueCents: Record<string, unknown> }>().valueCents.XTS).toBe(expected.toString());
    } finally {
      // Back to zero through the API (the ledger is append-only): the run's other specs
      // share this database, and the totals cache is invalidated by the adjustment.
      for (let left = units; left > 0; left -= 1_000_000) {
        const back = await app.inject({
          method: 'POST',
          url: '/v1/inventory/adjustments',
          headers: bearer(admin.accessToken),
          payload: { productId, warehouseId, delta: -Math.min(left, 1_000_000), reason: 'count' },
        });
        expect(back.statusCode).toBe(201);
      }
    }
  });

  it('documents both as strings of digits in the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{
      components: {
        schemas: Record<
          string,
          {
            properties: Record<
              string,
              { type?: string; pattern?: string; additionalProperties?: { type: string; pattern: string } }
            >;
          }
        >;
      };
    }>();
    const { schemas } = document.components;
    expect(schemas.SalesRowResponse.properties.revenueCents).toMatchObject({ type: 'string', pattern: '^-?\\d+$' });
    expect(schemas.InventoryTotalsResponse.properties.valueCents.additionalProperties).toMatchObject({
      type: 'string',
      pattern: '^-?\\d+$',
    });
  });
});
