import type { Injector } from './http-injector';
import { randomUUID } from 'node:crypto';
import { bearer } from './auth-helpers';

export async function createProduct(app: Injector, adminToken: string, overrides: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/products',
    headers: bearer(adminToken),
    payload: {
      sku: `SKU-${randomUUID().slice(0, 8)}`,
      name: 'Test product',
      priceCents: 1000,
      currency: 'EUR',
      ...overrides,
    },
  });
  if (response.statusCode !== 201) {
    throw new Error(`create product: ${response.statusCode} ${response.body}`);
  }
  return response.json<{ id: string; sku: string; priceCents: number; currency: string }>();
}

export async function createWarehouse(app: Injector, adminToken: string, code = `WH-${randomUUID().slice(0, 6)}`) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/warehouses',
    headers: bearer(adminToken),
    payload: { code, name: `Warehouse ${code}` },
  });
  if (response.statusCode !== 201) {
    throw new Error(`create warehouse: ${response.statusCode} ${response.body}`);
  }
  return response.json<{ id: string; code: string }>();
}

export async function addStock(
  app: Injector,
  adminToken: string,
  productId: string,
  warehouseId: string,
  delta: number,
) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/inventory/adjustments',
    headers: bearer(adminToken),
    payload: { productId, warehouseId, delta, reason: 'test stock' },
  });
  if (response.statusCode !== 201) {
    throw new Error(`adjust: ${response.statusCode} ${response.body}`);
  }
  return response.json();
}

export function placeOrder(
  app: Injector,
  token: string,
  items: Array<{ productId: string; quantity: number }>,
  key = randomUUID(),
) {
  return app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { ...bearer(token), 'idempotency-key': key },
    payload: { items },
  });
}
