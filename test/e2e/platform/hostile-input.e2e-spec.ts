import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../../support/commerce-fixtures';
import { createTestApp } from '../../support/test-app';

/**
 * Client input that used to make a 500 (or a stale read): NUL characters, ids in
 * upper case, deeply nested JSON, dates outside 1970..9999 or in loose formats.
 * Each is a 400 problem now, or for ids in any case, the same answer as lower case.
 */
describe('hostile input (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp({ ...env, BILLING_RENEWALS_ENABLED: 'false' });
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const expectValidationFailed = (
    response: { statusCode: number; headers: Record<string, unknown>; json<T>(): T },
    field?: string,
  ) => {
    expect(response.statusCode).toBe(400);
    expect(String(response.headers['content-type'])).toContain('application/problem+json');
    const problem = response.json<{ code: string; errors?: Array<{ field: string; message: string }> }>();
    expect(problem.code).toBe('VALIDATION_FAILED');
    if (field !== undefined) {
      expect(problem.errors?.map((error) => error.field)).toContain(field);
    }
    return problem;
  };

  describe('a NUL character in any string', () => {
    it('is a 400 in a query string', async () => {
      const problem = expectValidationFailed(await app.inject({ method: 'GET', url: '/v1/products?q=%00' }), 'q');
      expect(problem.errors?.find((error) => error.field === 'q')?.message).toMatch(/NUL/);
    });

    it('is a 400 in a body field, and changes nothing', async () => {
      const me = await app.inject({
        method: 'PATCH',
        url: '/v1/users/me',
        headers: bearer(customer.accessToken),
        payload: { name: 'bad\u0000name' },
      });
      expectValidationFailed(me, 'name');
      expect(
        (await app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(customer.accessToken) })).json().name,
      ).toBe('Test User');

      const product = await app.inject({
        method: 'POST',
        url: '/v1/products',
        headers: bearer(admin.accessToken),
        payload: { sku: `SKU-${randomUUID().slice(0, 8)}`, name: '\u0000', priceCents: 1, currency: 'EUR' },
      });
      expectValidationFailed(product, 'name');
      const registration = await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          email: `nul-${randomUUID().slice(0, 8)}@example.com`,
          password: 'correct-horse-battery-staple',
          name: 'a\u0000',
        },
      });
      expectValidationFailed(registration, 'name');
    });

    it('is a 400 at any depth, with the path of the field', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/inventory/adjustments',
        headers: bearer(admin.accessToken),
        payload: {
          productId: randomUUID(),
          warehouseId: randomUUID(),
          delta: 1,
          reason: 'ok',
          extra: [{ deep: ['x\u0000'] }],
        },
      });
      expectValidationFailed(response, 'extra.0.deep.0');
    });

    it('is a 400 in the Idempotency-Key header', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { ...bearer(customer.accessToken), 'idempotency-key': 'key\u0000' },
        payload: { items: [{ productId: randomUUID(), quantity: 1 }] },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    });
  });

  describe('ids in any letter case', () => {
    it('place an order for the same product (upper-case productId)', async () => {
      const product = await createProduct(app, admin.accessToken);
      const warehouse = await createWarehouse(app, admin.accessToken);
      await addStock(app, admin.accessToken, product.id, warehouse.id, 5);
      const response = await placeOrder(app, customer.accessToken, [
        { productId: product.id.toUpperCase(), quantity: 2 },
      ]);
      expect(response.statusCode).toBe(201);
      const order = response.json<{ id: string; items: Array<{ productId: string; quantity: number }> }>();
      expect(order.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 2 })]);

      const mixedCase = order.id.replace(/[a-f]/g, (letter, index: number) =>
        index % 2 ? letter.toUpperCase() : letter,
      );
      const again = await app.inject({
        method: 'GET',
        url: `/v1/orders/${mixedCase}`,
        headers: bearer(customer.accessToken),
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(order.id);
    });

    it('read the same product and the same cache entry: no stale read after a PATCH', async () => {
      const product = await createProduct(app, admin.accessToken, { priceCents: 1000 });
      const upper = product.id.toUpperCase();
      const first = await app.inject({ method: 'GET', url: `/v1/products/${upper}` });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ id: product.id, priceCents: 1000 });
      expect((await app.inject({ method: 'GET', url: `/v1/products/${product.id}` })).headers['x-cache']).toBe('HIT');

      const patched = await app.inject({
        method: 'PATCH',
        url: `/v1/products/${product.id}`,
        headers: bearer(admin.accessToken),
        payload: { priceCents: 2000 },
      });
      expect(patched.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/v1/products/${upper}` })).json().priceCents).toBe(2000);

      const viaUpper = await app.inject({
        method: 'PATCH',
        url: `/v1/products/${upper}`,
        headers: bearer(admin.accessToken),
        payload: { priceCents: 3000 },
      });
      expect(viaUpper.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/v1/products/${product.id}` })).json().priceCents).toBe(3000);
      expect((await app.inject({ method: 'GET', url: `/v1/products/${upper}` })).json().priceCents).toBe(3000);
    });

    it('mean the same user for an admin', async () => {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/users/${customer.user.id.toUpperCase()}`,
        headers: bearer(admin.accessToken),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().id).toBe(customer.user.id);
    });
  });

  describe('a JSON body nested deeper than 32 levels', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

    it('is a 400 before the Idempotency-Key fingerprint walks it', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: {
          ...bearer(customer.accessToken),
          'idempotency-key': randomUUID(),
          'content-type': 'application/json',
        },
        payload: nested(10_000),
      });
      const problem = expectValidationFailed(response, 'body');
      expect(problem.errors?.[0].message).toMatch(/32/);
    });

    it('is measured in levels of objects and arrays, not brackets inside strings', async () => {
      const post = (payload: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/users/me/password',
          headers: { ...bearer(customer.accessToken), 'content-type': 'application/json' },
          payload,
        });
      const at32 = (await post(nested(32))).json<{ errors?: Array<{ message: string }> }>();
      expect(at32.errors?.some((error) => /nested/.test(error.message))).toBe(false);
      const at33 = expectValidationFailed(await post(`[${nested(32)}]`), 'body');
      expect(at33.errors?.[0].message).toMatch(/nested/);
      const brackets = (
        await post(JSON.stringify({ currentPassword: '['.repeat(100), newPassword: '{"\\'.repeat(30) }))
      ).json<{ code: string }>();
      expect(brackets.code).not.toBe('VALIDATION_FAILED');
    });
  });

  describe('dates', () => {
    const report = (query: string) =>
      app.inject({ method: 'GET', url: `/v1/reports/orders.csv?${query}`, headers: bearer(admin.accessToken) });

    it.each([
      ['from=-271821-04-20T00:00:00Z', 'from'],
      ['from=%2B275760-09-13T00:00:00Z', 'from'],
      ['from=%2B010000-01-01T00:00:00Z', 'from'],
      ['to=10000-01-01T00:00:00Z', 'to'],
      ['from=1960-01-01T00:00:00Z', 'from'],
      ['from=1969-12-31T23:59:59.999Z', 'from'],
      ['from=1960-01-01', 'from'],
      ['from=2026-01-01', 'from'],
      ['from=2026-02-30T00:00:00Z', 'from'],
      ['from=2026-13-01T00:00:00Z', 'from'],
      ['from=2026-01-01T24:00:00Z', 'from'],
      ['from=2026-01-01T10:00:00', 'from'],
      ['from=Dec%205%202026', 'from'],
      ['from=1', 'from'],
      ['to=1764633600000', 'to'],
      ['from=2026-01-01T10:00:00%2B25:00', 'from'],
    ])('a report filter %s is a 400', async (query, field) => {
      expectValidationFailed(await report(query), field);
    });

    it('accepts RFC 3339 timestamps with Z or an offset, and from must be before to', async () => {
      expect((await report('from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00.123%2B02:00')).statusCode).toBe(200);
      expect((await report('from=1970-01-01T00:00:00.000Z&to=9999-12-31T23:59:59.999Z')).statusCode).toBe(200);
      expect((await report('from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z')).statusCode).toBe(400);
      expect((await report('from=2030-01-01T00:00:00Z&to=2030-01-01T00:00:00Z')).statusCode).toBe(400);
    });

    it('are strict on the sales report and the report request body too', async () => {
      expectValidationFailed(
        await app.inject({
          method: 'GET',
          url: '/v1/reports/sales?from=-271821-04-20T00:00:00Z',
          headers: bearer(admin.accessToken),
        }),
        'from',
      );
      expectValidationFailed(
        await app.inject({
          method: 'GET',
          url: '/v1/reports/orders.ndjson?to=Dec%205%202026',
          headers: bearer(admin.accessToken),
        }),
        'to',
      );
      const request = await app.inject({
        method: 'POST',
        url: '/v1/reports',
        headers: bearer(admin.accessToken),
        payload: { type: 'orders', format: 'csv', from: '+010000-01-01T00:00:00Z', to: 1 },
      });
      const problem = expectValidationFailed(request, 'from');
      expect(problem.errors?.map((error) => error.field)).toContain('to');
    });

    it('are strict for billing `at` (proration preview query and change-plan body)', async () => {
      const subscriptionId = randomUUID();
      const planId = randomUUID();
      const preview = await app.inject({
        method: 'GET',
        url: `/v1/subscriptions/${subscriptionId}/proration-preview?planId=${planId}&at=Dec%205%202026`,
        headers: bearer(customer.accessToken),
      });
      expectValidationFailed(preview, 'at');
      const change = await app.inject({
        method: 'POST',
        url: `/v1/subscriptions/${subscriptionId}/change-plan`,
        headers: bearer(customer.accessToken),
        payload: { planId, at: '1' },
      });
      expectValidationFailed(change, 'at');
      const valid = await app.inject({
        method: 'GET',
        url: `/v1/subscriptions/${subscriptionId}/proration-preview?planId=${planId}&at=2030-01-01T00:00:00Z`,
        headers: bearer(customer.accessToken),
      });
      expect(valid.statusCode).toBe(404);
    });
  });
});
