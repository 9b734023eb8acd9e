import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, register } from '../support/auth-helpers';
import { createTestApp } from '../support/test-app';
import { createIsolatedDatabase, databaseFingerprint } from '../support/test-database';
import {
  bodyFor,
  expect400For,
  extremeDate,
  fieldsOf,
  hostileScalar,
  type OpenApiDocument,
  Operation,
  operationsOf,
  pathParam,
  takesBody,
  tooDeepJson,
  withNul,
} from './fuzz-inputs';

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

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
  const endsSessions = (operation: Operation): boolean =>
    ['/v1/auth/logout', '/v1/auth/logout-all', '/v1/users/me/password'].includes(operation.path);

  beforeAll(async () => {
    // A database of its own: other specs running at the same time must not move the
    // fingerprint that proves a 4xx changed nothing.
    database = await createIsolatedDatabase('fuzz');
    const env = adminEnv();
    app = await createTestApp({
      ...env,
      DATABASE_URL: database.url,
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-fuzz`,
    });
    dataSource = app.get(DataSource);
    customerEmail = (await register(app)).user.email;
    adminEmail = env.ADMIN_EMAIL;
    await renewSessions();
    operations = operationsOf((await app.inject({ method: 'GET', url: '/docs-json' })).json<OpenApiDocument>());
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await renewSessions();
  });

  const fingerprint = (): Promise<string> => databaseFingerprint(dataSource);

  it(`never answers 5xx, always problem+json on errors, and changes nothing on a 4xx (seed ${SEED})`, async () => {
    const failures: string[] = [];
    for (const operation of operations) {
      const request = fc.record({
        params: fc.array(pathParam, { minLength: 4, maxLength: 4 }),
        query: fc.array(
          fc.tuple(
            fc.constantFrom(...operation.query, 'limit', 'cursor', 'fields', 'unknown'),
            hostileScalar.map(String),
          ),
          { maxLength: 4 },
        ),
        body: bodyFor(operation),
        token: fc.constantFrom(...tokens),
        idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }), withNul), { nil: undefined }),
      });
      await fc
        .assert(
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
                ...(operation.method === 'GET' || operation.method === 'DELETE'
                  ? {}
                  : { 'content-type': body.contentType }),
              },
              payload: operation.method === 'GET' || operation.method === 'DELETE' ? undefined : body.payload,
            });
            const label = `${operation.method} ${url.slice(0, 200)} ${operation.method === 'GET' || operation.method === 'DELETE' ? '' : `[${body.contentType}] ${body.payload.slice(0, 200)}`} -> ${response.statusCode}`;
            if (response.statusCode >= 500) {
              failures.push(`${label}: ${response.body.slice(0, 300)}`);
              return false;
            }
            if (response.statusCode >= 400) {
              if (
                !String(response.headers['content-type']).includes('application/problem+json') ||
                typeof response.json<{ code?: unknown }>().code !== 'string'
              ) {
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
        )
        .catch(() => undefined);
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
  const sendAsAdmin = (
    operation: Operation,
    options: { query?: Record<string, string>; payload?: string; idempotencyKey?: string },
  ) => {
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
  /** Runs `property` for every operation `applies` to; returns the failures seen. */
  const checkEveryOperation = async <T>(
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

  it(`refuses a NUL character in any body field, query parameter or Idempotency-Key with a 400 (seed ${SEED})`, async () => {
    type Target = { where: 'body' | 'query' | 'key'; field: string; value: string };
    const failures = await checkEveryOperation<Target>(
      (operation) => operation.bodyProperties.length > 0 || operation.query.length > 0 || operation.idempotent,
      (operation) =>
        fc
          .record({
            where: fc.constantFrom(
              ...([
                operation.bodyProperties.length > 0 && 'body',
                operation.query.length > 0 && 'query',
                operation.idempotent && 'key',
              ].filter(Boolean) as Target['where'][]),
            ),
            field: fc.constant(''),
            value: withNul,
          })
          .chain((target) =>
            (target.where === 'body'
              ? fc.constantFrom(...operation.bodyProperties)
              : target.where === 'query'
                ? fc.constantFrom(...operation.query)
                : fc.constant('idempotency-key')
            ).map((field) => ({ ...target, field })),
          ),
      async (operation, { where, field, value }) => {
        if (where === 'key') {
          return expect400For(
            await sendAsAdmin(operation, { payload: '{}', idempotencyKey: value }),
            field,
            'IDEMPOTENCY_KEY_INVALID',
          );
        }
        const response =
          where === 'query'
            ? await sendAsAdmin(operation, { query: { [field]: value } })
            : await sendAsAdmin(operation, { payload: JSON.stringify({ [field]: value }) });
        return expect400For(response, field);
      },
    );
    expect(failures).toEqual([]);
  }, 300_000);

  it(`refuses a JSON body nested 33..10,000 levels deep with a 400 on every operation that takes a body (seed ${SEED})`, async () => {
    const failures = await checkEveryOperation(
      takesBody,
      () => tooDeepJson,
      async (operation, payload) => expect400For(await sendAsAdmin(operation, { payload }), 'body'),
    );
    expect(failures).toEqual([]);
  }, 300_000);

  it(`refuses dates outside 1970..9999 or in loose formats in every date-time input with a 400, and takes valid ones (seed ${SEED})`, async () => {
    const validDate = fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
      .map((date) => date.toISOString());
    const failures = await checkEveryOperation(
      (operation) => operation.dateQuery.length + operation.dateBody.length > 0,
      (operation) =>
        fc.record({
          target: fc.constantFrom(
            ...operation.dateQuery.map((name) => ({ where: 'query', name })),
            ...operation.dateBody.map((name) => ({ where: 'body', name })),
          ),
          value: extremeDate,
          valid: validDate,
        }),
      async (operation, { target, value, valid }) => {
        const send = (date: string) =>
          target.where === 'query'
            ? sendAsAdmin(operation, { query: { [target.name]: date } })
            : sendAsAdmin(operation, { payload: JSON.stringify({ [target.name]: date }) });
        const refused = expect400For(await send(value), target.name);
        if (refused !== undefined) {
          return `${value}: ${refused}`;
        }
        const accepted = await send(valid);
        return accepted.statusCode < 500 && !fieldsOf(accepted).includes(target.name)
          ? undefined
          : `${valid} was refused: ${accepted.statusCode} ${accepted.body.slice(0, 200)}`;
      },
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
