import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, login, PASSWORD, register, uniqueEmail } from '../../support/auth-helpers';
import { Authenticator, mfaToken, registerWithMfa, verifyMfa } from '../../support/mfa-helpers';
import { createTestApp } from '../../support/test-app';

/**
 * Two-factor login (TOTP, RFC 6238) end to end against real PostgreSQL and Redis, with
 * codes from a real TOTP generator (otplib): setup, enable, the two-step login, replay
 * and reuse refused, an expired mfaToken, disable. Throttling: two-factor-throttling.
 */
describe('two-factor login (e2e)', () => {
  let app: NestFastifyApplication;
  let db: DataSource;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
  });

  const me = (token: string) => app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });

  it('login without two-factor is unchanged: the token pair at once, mfaEnabled false', async () => {
    const email = uniqueEmail();
    await register(app, email);
    const session = await login(app, email);
    expect(session).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String) });
    expect(session).not.toHaveProperty('mfaRequired');
    expect((await me(session.accessToken)).json()).toMatchObject({ email, mfaEnabled: false });
  });

  it('setup gives a pending secret: login still needs no code until enable confirms one', async () => {
    const email = uniqueEmail();
    const session = await register(app, email);
    const setup = await app.inject({ method: 'POST', url: '/v1/auth/2fa/setup', headers: bearer(session.accessToken) });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json<{ secret: string; otpauthUrl: string }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(otpauthUrl).searchParams.get('secret')).toBe(secret);
    expect((await login(app, email)).accessToken).toEqual(expect.any(String));

    const enable = (code: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/auth/2fa/enable',
        headers: bearer(session.accessToken),
        payload: { code },
      });
    const authenticator = new Authenticator(secret);
    const wrong = await enable(authenticator.wrongCode());
    expect(wrong.statusCode).toBe(400);
    expect(wrong.headers['content-type']).toMatch(/problem\+json/);
    expect(wrong.json().code).toBe('AUTH_MFA_CODE_INVALID');
    expect((await me(session.accessToken)).json().mfaEnabled).toBe(false);

    const enabled = await enable(authenticator.nextCode());
    expect(enabled.statusCode).toBe(200);
    const { recoveryCodes } = enabled.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await me(session.accessToken)).json().mfaEnabled).toBe(true);
    expect((await enable(authenticator.nextCode())).json().code).toBe('AUTH_MFA_ALREADY_ENABLED');
  });

  it('stores the secret only encrypted and the recovery codes only as hashes', async () => {
    const user = await registerWithMfa(app);
    const [row] = await db.query<Array<{ secret_sealed: string; pending_secret_sealed: string | null }>>(
      'SELECT secret_sealed, pending_secret_sealed FROM user_mfa WHERE user_id = $1',
      [user.userId],
    );
    expect(row.pending_secret_sealed).toBeNull();
    expect(row.secret_sealed).toMatch(/^v1\./);
    expect(row.secret_sealed).not.toContain(user.authenticator.secret);
    const hashes = await db.query<Array<{ code_hash: string }>>(
      'SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1',
      [user.userId],
    );
    expect(hashes).toHaveLength(10);
    const stored = hashes.map((hash) => hash.code_hash).join(' ');
    for (const code of user.recoveryCodes) {
      expect(stored).not.toContain(code);
    }
  });

  it('login asks for the code (no tokens), verify answers the token pair; the same code again is a replay', async () => {
    const user = await registerWithMfa(app);
    const challenge = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: user.email, password: PASSWORD },
    });
    expect(challenge.statusCode).toBe(200);
    expect(Object.keys(challenge.json()).sort()).toEqual(['mfaRequired', 'mfaToken']);
    expect(challenge.json().mfaRequired).toBe(true);

    const code = user.authenticator.nextCode();
    const verified = await verifyMfa(app, { mfaToken: challenge.json().mfaToken, code });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ tokenType: 'Bearer', user: { email: user.email, mfaEnabled: true } });
    expect((await me(verified.json().accessToken)).statusCode).toBe(200);

    // A fresh login, the code already accepted: refused, though its step is still in the window.
    const replay = await verifyMfa(app, { mfaToken: await mfaToken(app, user.email), code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('AUTH_MFA_CODE_INVALID');
  });

  it('a recovery code works once; another one still works, in any case and spacing', async () => {
    const user = await registerWithMfa(app);
    const [first, second] = user.recoveryCodes;
    const used = await verifyMfa(app, { mfaToken: await mfaToken(app, user.email), recoveryCode: first });
    expect(used.statusCode).toBe(200);
    expect(used.json().accessToken).toEqual(expect.any(String));

    const again = await verifyMfa(app, { mfaToken: await mfaToken(app, user.email), recoveryCode: first });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('AUTH_MFA_CODE_INVALID');

    const typed = second.toUpperCase().replace(/-/g, ' ');
    const other = await verifyMfa(app, { mfaToken: await mfaToken(app, user.email), recoveryCode: typed });
    expect(other.statusCode).toBe(200);
  });

  it('an mfaToken is single use and expires (5 min)', async () => {
    const user = await registerWithMfa(app);
    const token = await mfaToken(app, user.email);
    expect((await verifyMfa(app, { mfaToken: token, recoveryCode: user.recoveryCodes[0] })).statusCode).toBe(200);
    const reused = await verifyMfa(app, { mfaToken: token, recoveryCode: user.recoveryCodes[1] });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('AUTH_MFA_CODE_INVALID');

    const expiring = await mfaToken(app, user.email);
    const [challenge] = await db.query<Array<{ ttl_seconds: number }>>(
      `SELECT extract(epoch FROM expires_at - now())::int AS ttl_seconds FROM mfa_challenges WHERE token_hash = $1`,
      [sha256(expiring)],
    );
    expect(challenge.ttl_seconds).toBeGreaterThan(290);
    expect(challenge.ttl_seconds).toBeLessThanOrEqual(300);
    // Its five minutes are over (moved back in the database rather than waited for).
    await db.query(`UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      sha256(expiring),
    ]);
    const expired = await verifyMfa(app, { mfaToken: expiring, recoveryCode: user.recoveryCodes[1] });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('AUTH_MFA_CODE_INVALID');
    // The recovery code was not spent on the expired login.
    expect(
      (await verifyMfa(app, { mfaToken: await mfaToken(app, user.email), recoveryCode: user.recoveryCodes[1] }))
        .statusCode,
    ).toBe(200);
  });

  it('a secret that does not open (key changed, row altered) refuses codes, no 500; recovery codes still work', async () => {
    const user = await registerWithMfa(app);
    await db.query(`UPDATE user_mfa SET secret_sealed = replace(secret_sealed, 'v1.', 'v1.A') WHERE user_id = $1`, [
      user.userId,
    ]);
    const refused = await verifyMfa(app, {
      mfaToken: await mfaToken(app, user.email),
      code: user.authenticator.nextCode(),
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('AUTH_MFA_CODE_INVALID');
    const recovered = await verifyMfa(app, {
      mfaToken: await mfaToken(app, user.email),
      recoveryCode: user.recoveryCodes[0],
    });
    expect(recovered.statusCode).toBe(200);
  });

  it('disable needs a valid, unused code; then login gives tokens at once again', async () => {
    const user = await registerWithMfa(app);
    const disable = (code: string) =>
      app.inject({ method: 'POST', url: '/v1/auth/2fa/disable', headers: bearer(user.accessToken), payload: { code } });
    const wrong = await disable(user.authenticator.wrongCode());
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('AUTH_MFA_CODE_INVALID');
    const replayed = await disable(user.authenticator.codeOfLastStep());
    expect(replayed.statusCode).toBe(400);
    expect((await me(user.accessToken)).json().mfaEnabled).toBe(true);

    expect((await disable(user.authenticator.nextCode())).statusCode).toBe(204);
    expect((await me(user.accessToken)).json().mfaEnabled).toBe(false);
    expect((await login(app, user.email)).accessToken).toEqual(expect.any(String));
    expect((await disable(user.authenticator.nextCode())).json().code).toBe('AUTH_MFA_NOT_ENABLED');
    const rows = await db.query('SELECT 1 FROM mfa_recovery_codes WHERE user_id = $1', [user.userId]);
    expect(rows).toHaveLength(0);
  });

  it("turning two-factor on or off ends the user's other sessions and keeps the caller's", async () => {
    const email = uniqueEmail();
    const caller = await register(app, email);
    const other = await login(app, email);
    const refresh = (refreshToken: string) =>
      app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
    const setup = await app.inject({ method: 'POST', url: '/v1/auth/2fa/setup', headers: bearer(caller.accessToken) });
    const authenticator = new Authenticator(setup.json<{ secret: string }>().secret);
    const enabled = await app.inject({
      method: 'POST',
      url: '/v1/auth/2fa/enable',
      headers: bearer(caller.accessToken),
      payload: { code: authenticator.nextCode() },
    });
    expect(enabled.statusCode).toBe(200);
    expect((await me(other.accessToken)).json().code).toBe('AUTH_SESSION_REVOKED');
    expect((await refresh(other.refreshToken)).statusCode).toBe(401);
    expect((await me(caller.accessToken)).statusCode).toBe(200);

    // A recovery code for the login, so the one step either side of now is left for disable.
    const [recoveryCode] = enabled.json<{ recoveryCodes: string[] }>().recoveryCodes;
    const verified = await verifyMfa(app, { mfaToken: await mfaToken(app, email), recoveryCode });
    expect(verified.statusCode).toBe(200);
    const second = verified.json<{ accessToken: string; refreshToken: string }>();
    const disabled = await app.inject({
      method: 'POST',
      url: '/v1/auth/2fa/disable',
      headers: bearer(second.accessToken),
      payload: { code: authenticator.nextCode() },
    });
    expect(disabled.statusCode).toBe(204);
    expect((await me(caller.accessToken)).json().code).toBe('AUTH_SESSION_REVOKED');
    expect((await refresh(caller.refreshToken)).statusCode).toBe(401);
    expect((await me(second.accessToken)).json()).toMatchObject({ email, mfaEnabled: false });
    expect((await refresh(second.refreshToken)).statusCode).toBe(200);
  });

  it('the routes refuse callers without a token, and verify refuses a code with a recovery code', async () => {
    for (const path of ['setup', 'enable', 'disable']) {
      const response = await app.inject({ method: 'POST', url: `/v1/auth/2fa/${path}`, payload: { code: '123456' } });
      expect(response.statusCode).toBe(401);
    }
    const both = await verifyMfa(app, {
      mfaToken: 'x'.repeat(43),
      code: '123456',
      recoveryCode: 'abcd-efgh-jkmn-pqrs',
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().code).toBe('VALIDATION_FAILED');
    const neither = await verifyMfa(app, { mfaToken: 'x'.repeat(43) });
    expect(neither.statusCode).toBe(400);
  });
});

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
