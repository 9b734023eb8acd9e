import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { createProduct } from '../../support/commerce-fixtures';
import { createTestApp } from '../../support/test-app';

describe('catalog (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('serves a product MISS then HIT, with ETag, Cache-Control and 304', async () => {
    const product = await createProduct(app, admin.accessToken, { priceCents: 1234 });
    const first = await get(`/v1/products/${product.id}`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const second = await get(`/v1/products/${product.id}`);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.json()).toEqual(first.json());
    expect(first.headers.etag).toMatch(/^".+"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(first.headers['cache-control']).toContain('public');
    const notModified = await get(`/v1/products/${product.id}`, { 'if-none-match': String(first.headers.etag) });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect({
      etag: notModified.headers.etag,
      cacheControl: notModified.headers['cache-control'],
      xCache: notModified.headers['x-cache'],
    }).toEqual({
      etag: first.headers.etag,
      cacheControl: 'public, max-age=0, must-revalidate',
      xCache: 'HIT',
    });
  });

  it('answers If-None-Match per RFC 9110: weak comparison, a list, `*`; a stale tag gets the body', async () => {
    const product = await createProduct(app, admin.accessToken);
    const etag = String((await get(`/v1/products/${product.id}`)).headers.etag);
    for (const ifNoneMatch of [`W/${etag}`, `"stale", ${etag}`, '*']) {
      const response = await get(`/v1/products/${product.id}`, { 'if-none-match': ifNoneMatch });
      expect({ ifNoneMatch, status: response.statusCode, body: response.body }).toEqual({
        ifNoneMatch,
        status: 304,
        body: '',
      });
    }
    for (const ifNoneMatch of ['"stale"', 'W/"stale"', etag.slice(1, -1)]) {
      const response = await get(`/v1/products/${product.id}`, { 'if-none-match': ifNoneMatch });
      expect({ ifNoneMatch, status: response.statusCode, id: response.json().id }).toEqual({
        ifNoneMatch,
        status: 200,
        id: product.id,
      });
    }
  });

  it('never caches what fails: a missing product is 404 every time, an invalid query is 400 on a repeat too', async () => {
    const missing = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (let i = 0; i < 2; i++) {
      const response = await get(`/v1/products/${missing}`);
      expect({ status: response.statusCode, xCache: response.headers['x-cache'] }).toEqual({
        status: 404,
        xCache: undefined,
      });
      expect((await get('/v1/products?limit=abc')).statusCode).toBe(400);
    }
  });

  it('shows the new price at once after an admin update (no stale read)', async () => {
    const product = await createProduct(app, admin.accessToken, { priceCents: 1000 });
    await get(`/v1/products/${product.id}`);
    await get(`/v1/products?limit=100&fields=id,priceCents`);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/products/${product.id}`,
      headers: bearer(admin.accessToken),
      payload: { priceCents: 2500 },
    });
    expect(patched.statusCode).toBe(200);
    const read = await get(`/v1/products/${product.id}`);
    expect(read.json().priceCents).toBe(2500);
    expect(read.headers['x-cache']).toBe('MISS');
  });

  it('lists with keyset pagination, q search and fields that narrow the SQL', async () => {
    const tag = `ZEB${Date.now()}`;
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push(await createProduct(app, admin.accessToken, { name: `${tag} item ${i}` }));
    }
    const page1 = (await get(`/v1/products?q=${tag}&limit=2&fields=id,name`)).json();
    expect(page1.items).toHaveLength(2);
    expect(Object.keys(page1.items[0]).sort()).toEqual(['id', 'name']);
    const page2 = (await get(`/v1/products?q=${tag}&limit=2&fields=id,name&cursor=${page1.nextCursor}`)).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect([...page1.items, ...page2.items].map((p: { id: string }) => p.id)).toEqual(created.map((p) => p.id));
    const onlyPrice = (await get(`/v1/products?q=${tag}&fields=priceCents`)).json();
    expect(onlyPrice.items.every((item: object) => Object.keys(item).join() === 'priceCents')).toBe(true);
    const bySku = (await get(`/v1/products?q=${created[0].sku.toLowerCase()}`)).json();
    expect(bySku.items.map((p: { id: string }) => p.id)).toEqual([created[0].id]);
  });

  it('rejects unknown fields, a tampered cursor, and limits of 0 or 1000 with 400', async () => {
    for (const query of ['fields=id,passwordHash', 'cursor=abc', 'limit=0', 'limit=1000', 'active=maybe']) {
      const response = await get(`/v1/products?${query}`);
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('uses the trigram index for q search', async () => {
    const dataSource = app.get(DataSource);
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      return manager.query(`EXPLAIN SELECT id FROM products p WHERE (p.sku || ' ' || p.name) ILIKE '%zebra%'`);
    });
    expect(JSON.stringify(plan)).toContain('products_search_idx');
  });

  it('lets only admins write; SKUs are unique; delete deactivates', async () => {
    const forbidden = await app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: bearer(customer.accessToken),
      payload: { sku: 'X-1', name: 'x', priceCents: 1, currency: 'EUR' },
    });
    expect(forbidden.statusCode).toBe(403);
    const product = await createProduct(app, admin.accessToken);
    const duplicate = await app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: bearer(admin.accessToken),
      payload: { sku: product.sku, name: 'dup', priceCents: 1, currency: 'EUR' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('PRODUCT_SKU_TAKEN');
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/v1/products/${product.id}`,
      headers: bearer(admin.accessToken),
    });
    expect(deleted.json().active).toBe(false);
    const listed = (await get(`/v1/products?q=${product.sku}`)).json();
    expect(listed.items).toEqual([]);
    const invalid = await app.inject({
      method: 'POST',
      url: '/v1/products',
      headers: bearer(admin.accessToken),
      payload: { sku: 'ok-sku', name: 'x', priceCents: 1.5, currency: 'EURO' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['currency', 'priceCents']);
  });

  it('updates only the fields a PATCH names; a taken SKU is 409 and an unknown product 404, changing nothing', async () => {
    const product = await createProduct(app, admin.accessToken, { description: 'first', currency: 'usd' });
    const other = await createProduct(app, admin.accessToken);
    const patch = (id: string, payload: object) =>
      app.inject({ method: 'PATCH', url: `/v1/products/${id}`, headers: bearer(admin.accessToken), payload });
    const renamed = await patch(product.id, { name: 'Renamed', currency: 'eur' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      sku: product.sku,
      name: 'Renamed',
      description: 'first',
      priceCents: 1000,
      currency: 'EUR',
      active: true,
    });
    const taken = await patch(product.id, { sku: other.sku, name: 'Not applied' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('PRODUCT_SKU_TAKEN');
    expect((await get(`/v1/products/${product.id}`)).json()).toMatchObject({ sku: product.sku, name: 'Renamed' });
    expect((await patch('01000000-0000-7000-8000-000000000000', { name: 'x' })).statusCode).toBe(404);
  });

  it('answers 404 for an unknown product and 400 for a malformed id', async () => {
    expect((await get('/v1/products/01000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/v1/products/not-a-uuid')).statusCode).toBe(400);
  });
});
