import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { adminEnv, bearer, login, register, Session } from '../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../support/commerce-fixtures';
import { multipart } from '../support/multipart';
import { createTestApp } from '../support/test-app';
import accessRules from './access-rules.json';

type Access = 'public' | 'customer' | 'admin';
type Owned = 'order' | 'file' | 'subscription' | 'invoice';

/**
 * Who may call what, from API.md, in access-rules.json (data, so that the module
 * generator can add the rules of the routes it creates). Every operation of the
 * OpenAPI document must have a rule: a new route without one fails this test.
 * `owned` routes act on one customer's resource: another customer gets 404 (its
 * existence is not revealed), the owner and admins get through.
 */
const RULES = accessRules as Record<string, { access: Access; owned?: Owned }>;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('access control matrix: every route x no token, customer, another customer, admin', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let owner: Session;
  let other: Session;
  let operations: Array<{ method: Method; path: string }>;
  const owned: Record<Owned, string> = { order: '', file: '', subscription: '', invoice: '' };
  let otherPlanId = '';
  /** Valid inputs where validation would otherwise answer before the ownership check. */
  const inputs = (): Record<string, { query?: string; body?: object }> => ({
    'GET /v1/subscriptions/{id}/proration-preview': { query: `planId=${otherPlanId}` },
    'POST /v1/subscriptions/{id}/change-plan': { body: { planId: otherPlanId } },
    'POST /v1/subscriptions/{id}/cancel': { body: { atPeriodEnd: true } },
  });

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    admin = await login(app, env.ADMIN_EMAIL);
    owner = await register(app);
    other = await register(app);

    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
        .map((method) => ({ method: method.toUpperCase() as Method, path })),
    );

    // One resource of each owned kind, belonging to `owner`.
    const product = await createProduct(app, admin.accessToken);
    const warehouse = await createWarehouse(app, admin.accessToken);
    await addStock(app, admin.accessToken, product.id, warehouse.id, 10);
    owned.order = (await placeOrder(app, owner.accessToken, [{ productId: product.id, quantity: 1 }])).json<{
      id: string;
    }>().id;
    const upload = multipart('matrix.txt', Buffer.from('hello'), 'text/plain');
    owned.file = (
      await app.inject({
        method: 'POST',
        url: '/v1/files',
        headers: { ...bearer(owner.accessToken), 'content-type': upload.contentType },
        payload: upload.payload,
      })
    ).json<{ id: string }>().id;
    const createPlan = async (priceCents: number) =>
      (
        await app.inject({
          method: 'POST',
          url: '/v1/plans',
          headers: bearer(admin.accessToken),
          payload: {
            code: `MATRIX-${randomUUID().slice(0, 6)}`,
            name: 'Matrix',
            priceCents,
            currency: 'EUR',
            interval: 'month',
          },
        })
      ).json<{ id: string }>();
    const plan = await createPlan(1000);
    otherPlanId = (await createPlan(2000)).id;
    owned.subscription = (
      await app.inject({
        method: 'POST',
        url: '/v1/subscriptions',
        headers: bearer(owner.accessToken),
        payload: { planId: plan.id },
      })
    ).json<{ id: string }>().id;
    owned.invoice = (
      await app.inject({ method: 'GET', url: '/v1/invoices', headers: bearer(owner.accessToken) })
    ).json<{ items: Array<{ id: string }> }>().items[0].id;
    expect(Object.values(owned).every(Boolean)).toBe(true);
  });

  afterAll(async () => {
    await app.close();
  });

  it('has a rule for every operation in the OpenAPI document, and no rule for a route that is gone', () => {
    const documented = operations.map(({ method, path }) => `${method} ${path}`);
    expect(documented.filter((operation) => !(operation in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((operation) => !documented.includes(operation))).toEqual([]);
  });

  it('answers each caller exactly as the contract says', async () => {
    const mismatches: string[] = [];
    const call = async (method: Method, path: string, token?: string) => {
      const url = path.replace(/\{[^{}]+\}/g, (param) => {
        const rule = RULES[`${method} ${path}`];
        return rule.owned && param !== '{productId}' ? owned[rule.owned] : randomUUID();
      });
      const input = inputs()[`${method} ${path}`] ?? {};
      const response = await app.inject({
        method,
        url: input.query ? `${url}?${input.query}` : url,
        headers: { ...(token ? bearer(token) : {}), 'idempotency-key': randomUUID() },
        payload: method === 'GET' || method === 'DELETE' ? undefined : (input.body ?? {}),
      });
      return response.statusCode;
    };
    // Callers in this order: a caller that changes the resource (the owner cancelling
    // its order, deleting its file) comes after the ones that must be turned away.
    for (const { method, path } of operations) {
      const operation = `${method} ${path}`;
      const rule = RULES[operation];
      if (!rule) {
        continue; // reported by the test above
      }
      const expectations: Array<[string, string | undefined, (status: number) => boolean, string]> = [
        [
          'no token',
          undefined,
          rule.access === 'public' ? passes : (s) => s === 401,
          rule.access === 'public' ? 'not 401/403' : '401',
        ],
        [
          'another customer',
          other.accessToken,
          rule.access === 'admin' ? (s) => s === 403 : rule.owned ? (s) => s === 404 : passes,
          rule.access === 'admin' ? '403' : rule.owned ? '404' : 'not 401/403',
        ],
        [
          'customer (owner)',
          owner.accessToken,
          rule.access === 'admin' ? (s) => s === 403 : passes,
          rule.access === 'admin' ? '403' : 'not 401/403',
        ],
        ['admin', admin.accessToken, passes, 'not 401/403'],
      ];
      for (const [caller, token, ok, expected] of expectations) {
        // Logging out everywhere would end the sessions the rest of the matrix uses.
        if (token && operation === 'POST /v1/auth/logout-all' && caller !== 'no token') {
          continue;
        }
        const status = await call(method, path, token);
        if (!ok(status)) {
          mismatches.push(`${operation} as ${caller}: ${status}, expected ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** Got past authentication and authorisation: any answer but 401 and 403 (a 400 for an empty body is fine). */
function passes(status: number): boolean {
  return status !== 401 && status !== 403 && status < 500;
}
