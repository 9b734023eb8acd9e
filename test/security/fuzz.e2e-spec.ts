import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, register } from '../support/auth-helpers';
import { createTestApp } from '../support/test-app';
import { createIsolatedDatabase } from '../support/test-database';

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query: string[];
  bodyProperties: string[];
}

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** Hostile scalars: wrong types, huge and odd strings, unicode, extreme numbers. */
const hostileScalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '😀'.repeat(50), 'x'.repeat(20_000), '../../etc/passwd', '%00', "' OR 1=1 --", '<script>', 'null', 'NaN'),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, -1e308, 0.5),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);
const hostileValue = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constant(deepNesting(200)) },
);

function deepNesting(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) {
    value = { nested: value };
  }
  return value;
}

/** A body: the documented fields with hostile values, some missing, some extra; or raw junk. */
function bodyFor(operation: Operation): fc.Arbitrary<{ payload: string; contentType: string }> {
  const fields = fc
    .record({
      known: fc.subarray(operation.bodyProperties).chain((names) => fc.tuple(...names.map((name) => fc.tuple(fc.constant(name), hostileValue)))),
      extra: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), hostileValue), { maxLength: 2 }),
    })
    .map(({ known, extra }) => JSON.stringify(Object.fromEntries([...known, ...extra])));
  return fc.oneof(
    { weight: 6, arbitrary: fields.map((payload) => ({ payload, contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => ({ payload: JSON.stringify(value), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"__proto__":{"x":1}}', '\u0000').map((payload) => ({ payload, contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.string().map((payload) => ({ payload, contentType: fc.sample(fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded'), 1)[0] })) },
  );
}

const pathParam = fc.oneof(fc.uuid(), hostileScalar.map(String), fc.constantFrom('me', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300)));

/**
 * Property-based fuzzing of every operation of the OpenAPI document with generated and
 * mutated inputs, as no caller, a customer and an admin. For every request: never a
 * 5xx, every error a problem+json with its code, and a 4xx changes nothing in the
 * database. FUZZ_SEED replays a failing run (the seed is printed on failure).
 */
describe('fuzzing every operation of the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let operations: Operation[];
  let tokens: Array<string | undefined>;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    // A database of its own: other specs running at the same time must not move the
    // fingerprint that proves a 4xx changed nothing.
    database = await createIsolatedDatabase('fuzz');
    const env = adminEnv();
    app = await createTestApp({ ...env, DATABASE_URL: database.url, REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-fuzz` });
    dataSource = app.get(DataSource);
    tokens = [undefined, (await register(app)).accessToken, (await login(app, env.ADMIN_EMAIL)).accessToken];
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: { content?: Record<string, { schema?: { $ref?: string; properties?: object } }> } }>>;
      components: { schemas: Record<string, { properties?: object }> };
    }>();
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
        .map(([method, spec]) => {
          const schema = spec.requestBody?.content?.['application/json']?.schema;
          const resolved = schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
          return {
            method: method.toUpperCase() as Operation['method'],
            path,
            query: (spec.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
            bodyProperties: Object.keys(resolved?.properties ?? {}),
          };
        }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Row counts and last updates of every table a request could change. */
  const fingerprint = async (): Promise<string> =>
    JSON.stringify(
      await dataSource.query(`
        SELECT (SELECT count(*) FROM users) AS users, (SELECT max(updated_at) FROM users) AS users_at,
               (SELECT count(*) FROM refresh_tokens) AS refresh_tokens,
               (SELECT count(*) FROM products) AS products, (SELECT max(updated_at) FROM products) AS products_at,
               (SELECT count(*) FROM warehouses) AS warehouses,
               (SELECT count(*) FROM stock_movements) AS movements,
               (SELECT count(*) FROM orders) AS orders, (SELECT max(updated_at) FROM orders) AS orders_at,
               (SELECT count(*) FROM plans) AS plans, (SELECT count(*) FROM subscriptions) AS subscriptions,
               (SELECT count(*) FROM invoices) AS invoices, (SELECT count(*) FROM files) AS files,
               (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM outbox_messages) AS outbox,
               (SELECT count(*) FROM idempotency_keys) AS idempotency_keys`),
    );

  it(`never answers 5xx, always problem+json on errors, and changes nothing on a 4xx (seed ${SEED})`, async () => {
    const failures: string[] = [];
    for (const operation of operations) {
      const request = fc.record({
        params: fc.array(pathParam, { minLength: 4, maxLength: 4 }),
        query: fc.array(fc.tuple(fc.constantFrom(...operation.query, 'limit', 'cursor', 'fields', 'unknown'), hostileScalar.map(String)), { maxLength: 4 }),
        body: bodyFor(operation),
        token: fc.constantFrom(...tokens),
        idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ params, query, body, token, idempotencyKey }) => {
          let index = 0;
          const path = operation.path.replace(/\{[^{}]+\}/g, () => encodeURIComponent(params[index++]));
          const search = new URLSearchParams(query).toString();
          const url = `${path}${search ? `?${search}` : ''}`;
          const before = await fingerprint();
          const response = await app.inject({
            method: operation.method,
            url,
            headers: {
              ...(token ? bearer(token) : {}),
              ...(idempotencyKey !== undefined ? { 'idempotency-key': idempotencyKey } : {}),
              ...(operation.method === 'GET' || operation.method === 'DELETE' ? {} : { 'content-type': body.contentType }),
            },
            payload: operation.method === 'GET' || operation.method === 'DELETE' ? undefined : body.payload,
          });
          const label = `${operation.method} ${url.slice(0, 200)} ${operation.method === 'GET' || operation.method === 'DELETE' ? '' : `[${body.contentType}] ${body.payload.slice(0, 200)}`} -> ${response.statusCode}`;
          if (response.statusCode >= 500) {
            failures.push(`${label}: ${response.body.slice(0, 300)}`);
            return false;
          }
          if (response.statusCode >= 400) {
            if (!String(response.headers['content-type']).includes('application/problem+json') || typeof response.json<{ code?: unknown }>().code !== 'string') {
              failures.push(`${label}: not a problem+json (${String(response.headers['content-type'])})`);
              return false;
            }
            if ((await fingerprint()) !== before) {
              failures.push(`${label}: the database changed on a ${response.statusCode}`);
              return false;
            }
          }
          return true;
        }),
        { numRuns: RUNS_PER_OPERATION, seed: SEED, endOnFailure: true },
      ).catch(() => undefined);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
