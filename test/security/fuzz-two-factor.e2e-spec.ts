import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { bearer } from '../support/auth-helpers';
import { mfaToken, MfaUser, registerWithMfa, verifyMfa } from '../support/mfa-helpers';
import { createTestApp } from '../support/test-app';
import { createIsolatedDatabase, databaseFingerprint } from '../support/test-database';
import { hostileValue, wrongSecondFactor } from './fuzz-inputs';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25) * 4;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/**
 * The two-factor routes behind their first check: fuzz.e2e-spec.ts sends every route
 * hostile input, but without a live mfaToken or a user with two-factor on it never gets
 * past the token lookup. Here a user has two-factor on and a live mfaToken, and wrong or
 * hostile codes must never log in, never answer 5xx, and change nothing: not the
 * secrets, the last accepted step, the recovery codes, nor the mfaToken.
 */
describe('fuzzing the two-factor routes past their first check', () => {
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let database: { url: string; drop(): Promise<void> };
  let user: MfaUser;

  beforeAll(async () => {
    database = await createIsolatedDatabase('fuzz_mfa');
    app = await createTestApp({
      DATABASE_URL: database.url,
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-fuzz-mfa`,
      // The throttle would answer 429 before the code is looked at.
      LOGIN_FAILURES_PER_EMAIL: '1000000',
      LOGIN_FAILURES_PER_ACCOUNT: '1000000',
    });
    dataSource = app.get(DataSource);
    user = await registerWithMfa(app);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const fingerprint = async () =>
    (await databaseFingerprint(dataSource)) +
    JSON.stringify(
      await dataSource.query(`
        SELECT (SELECT json_agg(user_mfa ORDER BY user_id) FROM user_mfa) AS secrets,
               (SELECT count(*) FROM mfa_recovery_codes WHERE used_at IS NULL) AS unused_codes,
               (SELECT count(*) FROM mfa_challenges WHERE used_at IS NULL) AS live_challenges`),
    );

  type Answer = { statusCode: number; headers: Record<string, unknown>; body: string };
  const problem = (response: Answer) =>
    String(response.headers['content-type']).includes('application/problem+json') &&
    typeof (JSON.parse(response.body) as { code?: unknown }).code === 'string';

  /** The failure of one try, if any: an answer other than a refusal problem, or a changed database. */
  const refusalFailure = async (label: string, response: Answer, refusals: number[], before: string) => {
    if (!refusals.includes(response.statusCode) || !problem(response)) {
      return `${label}: ${response.body.slice(0, 200)}`;
    }
    return (await fingerprint()) === before ? undefined : `${label}: the database changed`;
  };

  it(`verify with a live mfaToken and a wrong or hostile code: 400 or 401, nothing changes (seed ${SEED})`, async () => {
    const token = await mfaToken(app, user.email);
    const failures: string[] = [];
    const extra = fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), hostileValue, { maxKeys: 2 }), {
      nil: undefined,
    });
    await fc
      .assert(
        fc.asyncProperty(
          wrongSecondFactor(() => user.authenticator.wrongCode()),
          extra,
          async (factor, more) => {
            const before = await fingerprint();
            const response = await verifyMfa(app, { ...more, ...factor, mfaToken: token });
            const label = `${JSON.stringify(factor).slice(0, 200)} -> ${response.statusCode}`;
            const failure = await refusalFailure(label, response, [400, 401], before);
            if (failure) {
              failures.push(failure);
            }
            return failures.length === 0;
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      )
      .catch(() => undefined);
    expect(failures).toEqual([]);
    // The token survived every wrong try: the right code still completes this login.
    expect((await verifyMfa(app, { mfaToken: token, code: user.authenticator.nextCode() })).statusCode).toBe(200);
  }, 300_000);

  it(`enable and disable with a wrong or hostile code: 400 or 409, two-factor stays on (seed ${SEED})`, async () => {
    const failures: string[] = [];
    const body = fc.oneof(
      fc.record({ code: hostileValue }),
      fc.constant(null).map(() => ({ code: user.authenticator.wrongCode() })),
      fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 }),
    );
    await fc
      .assert(
        fc.asyncProperty(fc.constantFrom('enable', 'disable'), body, async (route, payload) => {
          const before = await fingerprint();
          const response = await app.inject({
            method: 'POST',
            url: `/v1/auth/2fa/${route}`,
            headers: bearer(user.accessToken),
            payload,
          });
          const label = `${route} ${JSON.stringify(payload).slice(0, 200)} -> ${response.statusCode}`;
          const failure = await refusalFailure(label, response, [400, 409], before);
          if (failure) {
            failures.push(failure);
          }
          return failures.length === 0;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      )
      .catch(() => undefined);
    expect(failures).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(user.accessToken) })).json(),
    ).toMatchObject({
      mfaEnabled: true,
    });
  }, 300_000);
});
