import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer } from '../../support/auth-helpers';
import { mfaToken, registerWithMfa, verifyMfa } from '../../support/mfa-helpers';
import { createTestApp } from '../../support/test-app';

/**
 * Wrong two-factor codes are throttled like wrong passwords, per (account, client
 * address) in Redis: after N failures that address gets 429 even with the right code,
 * while another address still completes the login. Disable counts the same way.
 */
describe('two-factor code throttling (e2e)', () => {
  const PER_CLIENT = 3;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ LOGIN_FAILURES_PER_EMAIL: String(PER_CLIENT) });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a wrong code is refused N times, then that address is throttled; another address logs in', async () => {
    const user = await registerWithMfa(app);
    const token = await mfaToken(app, user.email, '198.51.100.30');
    const statuses: number[] = [];
    for (let i = 0; i < PER_CLIENT + 1; i++) {
      statuses.push(
        (await verifyMfa(app, { mfaToken: token, code: user.authenticator.wrongCode() }, '198.51.100.30')).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);

    const right = user.authenticator.nextCode();
    const throttled = await verifyMfa(app, { mfaToken: token, code: right }, '198.51.100.30');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);

    // The wrong guesses spent neither the mfaToken nor the code: the owner elsewhere goes through.
    const owner = await verifyMfa(app, { mfaToken: token, code: right }, '203.0.113.40');
    expect(owner.statusCode).toBe(200);
    expect(owner.json().user.email).toBe(user.email);
  });

  it('recovery-code guesses count too', async () => {
    const user = await registerWithMfa(app);
    const token = await mfaToken(app, user.email);
    const statuses: number[] = [];
    for (let i = 0; i < PER_CLIENT + 1; i++) {
      const guess = `zzzz-zzzz-zzzz-zzz${i + 2}`;
      statuses.push((await verifyMfa(app, { mfaToken: token, recoveryCode: guess }, '198.51.100.31')).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('wrong codes on disable are throttled: a stolen access token cannot guess its way to turning 2FA off', async () => {
    const user = await registerWithMfa(app);
    const disable = (code: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/2fa/disable',
        remoteAddress: '198.51.100.32',
        headers: bearer(user.accessToken),
        payload: { code },
      });
    const statuses: number[] = [];
    for (let i = 0; i < PER_CLIENT + 1; i++) {
      statuses.push((await disable(user.authenticator.wrongCode())).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    expect((await disable(user.authenticator.nextCode())).statusCode).toBe(429);
  });
});
