import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { adminEnv, bearer, login, register } from '../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../support/commerce-fixtures';
import { createTestApp } from '../support/test-app';
import { anyCase } from './fuzz-inputs';

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** Ids are case-insensitive (RFC 4122): every spelling reads the same resource and the same cache entry. */
describe('ids in any letter case', () => {
  let app: NestFastifyApplication;
  let adminToken: string;
  let customerToken: string;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    adminToken = (await login(app, env.ADMIN_EMAIL)).accessToken;
    customerToken = (await register(app)).accessToken;
  });

  afterAll(async () => {
    await app?.close();
  });

  it(`answers ids in any letter case like lower case: the same resource and the same cache entry (seed ${SEED})`, async () => {
    const product = await createProduct(app, adminToken, { priceCents: 100 });
    const warehouse = await createWarehouse(app, adminToken);
    await addStock(app, adminToken, product.id, warehouse.id, 1_000);
    const placed = await placeOrder(app, customerToken, [{ productId: product.id.toUpperCase(), quantity: 1 }]);
    expect(placed.statusCode).toBe(201);
    const orderId = placed.json<{ id: string }>().id;
    const reads = [
      { url: (id: string) => `/v1/products/${id}`, id: product.id, token: undefined },
      { url: (id: string) => `/v1/inventory/${id}`, id: product.id, token: adminToken },
      { url: (id: string) => `/v1/orders/${id}`, id: orderId, token: customerToken },
    ];
    let price = 100;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads).chain((read) =>
          fc.record({
            read: fc.constant(read),
            spelling: anyCase(read.id),
            readBy: anyCase(product.id),
            patchBy: anyCase(product.id),
          }),
        ),
        async ({ read, spelling, readBy, patchBy }) => {
          const headers = read.token ? bearer(read.token) : {};
          const lower = await app.inject({ method: 'GET', url: read.url(read.id), headers });
          const other = await app.inject({ method: 'GET', url: read.url(spelling), headers });
          expect(other.statusCode).toBe(200);
          expect(other.json()).toEqual(lower.json());
          // A change through one spelling is seen at once through every other (one cache entry).
          expect((await app.inject({ method: 'GET', url: `/v1/products/${readBy}` })).json().priceCents).toBe(price);
          price += 1;
          const patched = await app.inject({
            method: 'PATCH',
            url: `/v1/products/${patchBy}`,
            headers: bearer(adminToken),
            payload: { priceCents: price },
          });
          expect(patched.statusCode).toBe(200);
          expect((await app.inject({ method: 'GET', url: `/v1/products/${readBy}` })).json().priceCents).toBe(price);
        },
      ),
      { numRuns: RUNS_PER_OPERATION, seed: SEED },
    );
  }, 300_000);
});
