import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, register } from '../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../support/commerce-fixtures';
import { createTestApp } from '../support/test-app';
import { createIsolatedDatabase } from '../support/test-database';

interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query: string[];
  bodyProperties: string[];
  /** The query parameters and body properties documented as `format: date-time`. */
  dateQuery: string[];
  dateBody: string[];
  /** Documents the Idempotency-Key header (the one header the API stores). */
  idempotent: boolean;
}

type Schema = { $ref?: string; format?: string; properties?: Record<string, Schema> };

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** A string with a NUL character somewhere (PostgreSQL cannot store one). */
const withNul = fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([before, after]) => `${before}\u0000${after}`);

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * Dates the API must refuse (400): years before 1970 or after 9999 (negative and
 * expanded ±YYYYYY years included), impossible calendar dates, and the loose formats
 * `new Date()` would take (bare dates, no offset, epoch numbers, English).
 */
const extremeDate = fc.oneof(
  fc.integer({ min: -271_821, max: 1969 }).map((year) => `${year < 0 ? `-${pad(-year, 6)}` : pad(year, 4)}-01-01T00:00:00Z`),
  fc.integer({ min: 10_000, max: 275_760 }).map((year) => `+${pad(year, 6)}-06-15T12:00:00Z`),
  fc.integer({ min: 10_000, max: 99_999 }).map((year) => `${year}-01-01T00:00:00.000Z`),
  fc
    .record({ year: fc.integer({ min: 1970, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 29, max: 35 }) })
    .filter(({ year, month, day }) => day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    .map(({ year, month, day }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T00:00:00Z`),
  fc
    .tuple(fc.date({ min: new Date('1970-01-02T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true }), fc.nat(5))
    .map(([date, form]) =>
      [date.toISOString().slice(0, 10), date.toISOString().slice(0, 19), date.toISOString().replace('T', ' '), date.toUTCString(), date.toDateString(), String(date.getTime())][form],
    ),
  fc.constantFrom('1', '0', '-1', 'Dec 5 2026', 'now', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T10:00:00+25:00', '-271821-04-20T00:00:00Z'),
);

/** A UUID with each letter upper- or lower-cased at random. */
const anyCase = (id: string) => fc.array(fc.boolean(), { minLength: id.length, maxLength: id.length }).map((upper) => [...id].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''));

/** A JSON text of objects and arrays nested `depth` levels deep. */
const nestedJson = (depth: number, arrays: boolean) => (arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1));
const tooDeepJson = fc.tuple(fc.integer({ min: 33, max: 10_000 }), fc.boolean()).map(([depth, arrays]) => nestedJson(depth, arrays));

/** Hostile scalars: wrong types, huge and odd strings, unicode, extreme numbers and dates. */
const hostileScalar = fc.oneof(
  withNul,
  extremeDate,
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
    { weight: 1, arbitrary: tooDeepJson.map((payload) => ({ payload, contentType: 'application/json' })) },
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
  let customerToken: string;
  let adminToken: string;
  let customerEmail: string;
  let adminEmail: string;
  let database: { url: string; drop(): Promise<void> };

  /**
   * Logout, logout-all and a password change end the session they are called with (its
   * access tokens are refused at once), so every property starts on fresh sessions, and
   * the sweep over all operations renews them after each of those operations.
   */
  const renewSessions = async (): Promise<void> => {
    customerToken = (await login(app, customerEmail)).accessToken;
    adminToken = (await login(app, adminEmail)).accessToken;
    tokens = [undefined, customerToken, adminToken];
  };
  const endsSessions = (operation: Operation): boolean => ['/v1/auth/logout', '/v1/auth/logout-all', '/v1/users/me/password'].includes(operation.path);

  beforeAll(async () => {
    // A database of its own: other specs running at the same time must not move the
    // fingerprint that proves a 4xx changed nothing.
    database = await createIsolatedDatabase('fuzz');
    const env = adminEnv();
    app = await createTestApp({ ...env, DATABASE_URL: database.url, REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-fuzz` });
    dataSource = app.get(DataSource);
    customerEmail = (await register(app)).user.email;
    adminEmail = env.ADMIN_EMAIL;
    await renewSessions();
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema?: Schema }>; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
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
            dateQuery: (spec.parameters ?? []).filter((parameter) => parameter.in === 'query' && parameter.schema?.format === 'date-time').map((parameter) => parameter.name),
            idempotent: (spec.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key'),
            dateBody: Object.entries(resolved?.properties ?? {}).filter(([, property]) => property.format === 'date-time').map(([name]) => name),
          };
        }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await renewSessions();
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
        idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }), withNul), { nil: undefined }),
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
      if (endsSessions(operation)) {
        await renewSessions();
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  /**
   * Targeted properties, one per class of hostile input the API once answered with a
   * 500 or a stale read. Each request is sent as the admin (allowed everywhere a role is
   * needed), with an Idempotency-Key, to an operation's path with fresh UUIDs. A 429 (a
   * throttled auth route) proves nothing either way and is skipped; anything else must be
   * the documented 400.
   */
  const sendAsAdmin = (operation: Operation, options: { query?: Record<string, string>; payload?: string; idempotencyKey?: string }) => {
    const path = operation.path.replace(/\{[^{}]+\}/g, () => crypto.randomUUID());
    const search = new URLSearchParams(options.query ?? {}).toString();
    return app.inject({
      method: operation.method,
      url: `${path}${search ? `?${search}` : ''}`,
      headers: {
        ...bearer(adminToken),
        'idempotency-key': options.idempotencyKey ?? crypto.randomUUID(),
        ...(options.payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      payload: options.payload,
    });
  };
  const takesBody = (operation: Operation) => operation.method === 'POST' || operation.method === 'PATCH' || operation.method === 'PUT';

  /** Runs `property` for every operation `applies` to; returns the failures seen. */
  const checkEveryOperation = async <T,>(
    applies: (operation: Operation) => boolean,
    input: (operation: Operation) => fc.Arbitrary<T>,
    check: (operation: Operation, value: T) => Promise<string | undefined>,
  ): Promise<string[]> => {
    const failures: string[] = [];
    const targets = operations.filter(applies);
    expect(targets.length).toBeGreaterThan(0);
    for (const operation of targets) {
      await fc
        .assert(
          fc.asyncProperty(input(operation), async (value) => {
            const failure = await check(operation, value);
            if (failure !== undefined) {
              failures.push(`${operation.method} ${operation.path}: ${failure}`);
            }
            return failure === undefined;
          }),
          { numRuns: RUNS_PER_OPERATION, seed: SEED, endOnFailure: true },
        )
        .catch(() => undefined);
      if (endsSessions(operation)) {
        await renewSessions();
      }
    }
    return failures;
  };

  const fieldsOf = (response: { json<T>(): T }) => (response.json<{ errors?: Array<{ field: string }> }>().errors ?? []).map((error) => error.field);
  const expect400For = (response: { statusCode: number; body: string; json<T>(): T }, field: string, code = 'VALIDATION_FAILED') => {
    if (response.statusCode === 429) {
      return undefined;
    }
    if (response.statusCode !== 400 || response.json<{ code?: string }>().code !== code) {
      return `${field}: ${response.statusCode} ${response.body.slice(0, 200)}`;
    }
    return code === 'VALIDATION_FAILED' && !fieldsOf(response).includes(field) ? `${field} not in errors: ${response.body.slice(0, 200)}` : undefined;
  };

  it(`refuses a NUL character in any body field, query parameter or Idempotency-Key with a 400 (seed ${SEED})`, async () => {
    type Target = { where: 'body' | 'query' | 'key'; field: string; value: string };
    const failures = await checkEveryOperation<Target>(
      (operation) => operation.bodyProperties.length > 0 || operation.query.length > 0 || operation.idempotent,
      (operation) =>
        fc.record({
          where: fc.constantFrom(...([operation.bodyProperties.length > 0 && 'body', operation.query.length > 0 && 'query', operation.idempotent && 'key'].filter(Boolean) as Target['where'][])),
          field: fc.constant(''),
          value: withNul,
        }).chain((target) =>
          (target.where === 'body' ? fc.constantFrom(...operation.bodyProperties) : target.where === 'query' ? fc.constantFrom(...operation.query) : fc.constant('idempotency-key')).map((field) => ({ ...target, field })),
        ),
      async (operation, { where, field, value }) => {
        if (where === 'key') {
          return expect400For(await sendAsAdmin(operation, { payload: '{}', idempotencyKey: value }), field, 'IDEMPOTENCY_KEY_INVALID');
        }
        const response = where === 'query' ? await sendAsAdmin(operation, { query: { [field]: value } }) : await sendAsAdmin(operation, { payload: JSON.stringify({ [field]: value }) });
        return expect400For(response, field);
      },
    );
    expect(failures).toEqual([]);
  }, 300_000);

  it(`refuses a JSON body nested 33..10,000 levels deep with a 400 on every operation that takes a body (seed ${SEED})`, async () => {
    const failures = await checkEveryOperation(takesBody, () => tooDeepJson, async (operation, payload) => expect400For(await sendAsAdmin(operation, { payload }), 'body'));
    expect(failures).toEqual([]);
  }, 300_000);

  it(`refuses dates outside 1970..9999 or in loose formats in every date-time input with a 400, and takes valid ones (seed ${SEED})`, async () => {
    const validDate = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((date) => date.toISOString());
    const failures = await checkEveryOperation(
      (operation) => operation.dateQuery.length + operation.dateBody.length > 0,
      (operation) =>
        fc.record({
          target: fc.constantFrom(...operation.dateQuery.map((name) => ({ where: 'query', name })), ...operation.dateBody.map((name) => ({ where: 'body', name }))),
          value: extremeDate,
          valid: validDate,
        }),
      async (operation, { target, value, valid }) => {
        const send = (date: string) =>
          target.where === 'query' ? sendAsAdmin(operation, { query: { [target.name]: date } }) : sendAsAdmin(operation, { payload: JSON.stringify({ [target.name]: date }) });
        const refused = expect400For(await send(value), target.name);
        if (refused !== undefined) {
          return `${value}: ${refused}`;
        }
        const accepted = await send(valid);
        return accepted.statusCode < 500 && !fieldsOf(accepted).includes(target.name) ? undefined : `${valid} was refused: ${accepted.statusCode} ${accepted.body.slice(0, 200)}`;
      },
    );
    expect(failures).toEqual([]);
  }, 300_000);

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
          fc.record({ read: fc.constant(read), spelling: anyCase(read.id), readBy: anyCase(product.id), patchBy: anyCase(product.id) }),
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
          const patched = await app.inject({ method: 'PATCH', url: `/v1/products/${patchBy}`, headers: bearer(adminToken), payload: { priceCents: price } });
          expect(patched.statusCode).toBe(200);
          expect((await app.inject({ method: 'GET', url: `/v1/products/${readBy}` })).json().priceCents).toBe(price);
        },
      ),
      { numRuns: RUNS_PER_OPERATION, seed: SEED },
    );
  }, 300_000);
});
