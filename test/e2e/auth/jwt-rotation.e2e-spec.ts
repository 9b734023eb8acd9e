import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { bearer, login, register, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

const OLD_SECRET = 'old-secret-that-is-at-least-32-bytes-long-aaaaaaaaa';
const NEW_SECRET = 'new-secret-that-is-at-least-32-bytes-long-bbbbbbbbb';
const ISSUER = 'commerce-api';
const AUDIENCE = 'commerce-api-clients';

/** The kid as the API derives it, computed here independently (docs/operations.md). */
const kidOf = (secret: string) => createHash('sha256').update(secret).digest('base64url').slice(0, 16);

/**
 * A secret rotation as docs/operations.md describes it, over the same database and Redis,
 * one app per phase as in a redeploy: `before` runs with the old secret; `step 0` (optional)
 * with the old one and the new one as JWT_PREVIOUS_SECRET; `during` with the new one and the
 * old one as JWT_PREVIOUS_SECRET; `after` with the new one alone. The
 * phases do not overlap because passport keeps its strategies in one registry per process:
 * the last app created would verify for all of them.
 */
describe('JWT secret rotation (e2e)', () => {
  let app: NestFastifyApplication;
  let session: Session;
  let sid: string;
  let issuedDuring: Session;

  const me = (token: string) => app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });
  const sign = (secret: jwt.Secret, options: jwt.SignOptions = {}) =>
    jwt.sign({ sid }, secret, {
      algorithm: 'HS256',
      subject: session.user.id,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: 60,
      ...options,
    });
  const kidIn = (token: string) => jwt.decode(token, { complete: true })!.header.kid;

  async function expectInvalid(token: string): Promise<void> {
    const response = await me(token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  }

  /** Runs the phase's tests on one app started with `env`, closed after them. */
  function phase(env: Record<string, string | undefined>): void {
    beforeAll(async () => {
      app = await createTestApp(env);
    });
    afterAll(async () => {
      await app?.close();
    });
  }

  describe('before: JWT_SECRET=old', () => {
    phase({ JWT_SECRET: OLD_SECRET, JWT_PREVIOUS_SECRET: undefined });

    it('issues tokens naming their key (a hash of the secret) in the header', async () => {
      session = await register(app);
      sid = (jwt.decode(session.accessToken) as { sid: string }).sid;
      const header = jwt.decode(session.accessToken, { complete: true })!.header;
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: kidOf(OLD_SECRET) });
      expect((await me(session.accessToken)).statusCode).toBe(200);
    });

    it('refuses a token signed with a key it does not know, even named by its kid', async () => {
      await expectInvalid(sign(NEW_SECRET, { keyid: kidOf(NEW_SECRET) }));
    });
  });

  // Optional, for rolling reloads: every process learns the new key before any signs with it.
  describe('step 0: JWT_SECRET=old, JWT_PREVIOUS_SECRET=new', () => {
    phase({ JWT_SECRET: OLD_SECRET, JWT_PREVIOUS_SECRET: NEW_SECRET });

    it('still signs with the old secret, and already accepts tokens signed with the new one', async () => {
      expect(kidIn((await login(app, session.user.email)).accessToken)).toBe(kidOf(OLD_SECRET));
      expect((await me(session.accessToken)).statusCode).toBe(200);
      expect((await me(sign(NEW_SECRET, { keyid: kidOf(NEW_SECRET) }))).statusCode).toBe(200);
    });
  });

  describe('during: JWT_SECRET=new, JWT_PREVIOUS_SECRET=old', () => {
    phase({ JWT_SECRET: NEW_SECRET, JWT_PREVIOUS_SECRET: OLD_SECRET });

    it('accepts the token issued with the old secret', async () => {
      expect((await me(session.accessToken)).statusCode).toBe(200);
    });

    it('signs new tokens with the new secret', async () => {
      issuedDuring = await login(app, session.user.email);
      expect(kidIn(issuedDuring.accessToken)).toBe(kidOf(NEW_SECRET));
      expect((await me(issuedDuring.accessToken)).statusCode).toBe(200);
    });

    it('refuses a forged kid: an unknown one, or a known one on a token signed with another key', async () => {
      await expectInvalid(sign(OLD_SECRET, { keyid: 'AAAAAAAAAAAAAAAA' }));
      await expectInvalid(sign(OLD_SECRET, { keyid: kidOf(NEW_SECRET) }));
      await expectInvalid(sign(NEW_SECRET, { keyid: kidOf(OLD_SECRET) }));
      const attacker = 'attacker-secret-that-is-at-least-32-bytes-long-000';
      await expectInvalid(sign(attacker, { keyid: kidOf(OLD_SECRET) }));
      await expectInvalid(sign(attacker, { keyid: kidOf(attacker) }));
      // Controls: the same claims signed with the key their kid names are accepted.
      expect((await me(sign(OLD_SECRET, { keyid: kidOf(OLD_SECRET) }))).statusCode).toBe(200);
      expect((await me(sign(NEW_SECRET, { keyid: kidOf(NEW_SECRET) }))).statusCode).toBe(200);
    });

    it('verifies a token without kid (minted before kids) with the current key only', async () => {
      expect((await me(sign(NEW_SECRET))).statusCode).toBe(200);
      await expectInvalid(sign(OLD_SECRET));
    });

    it('still refuses algorithm swaps with either key: HS512, and alg none, naming a known kid', async () => {
      await expectInvalid(sign(OLD_SECRET, { algorithm: 'HS512', keyid: kidOf(OLD_SECRET) }));
      await expectInvalid(sign(NEW_SECRET, { algorithm: 'HS512', keyid: kidOf(NEW_SECRET) }));
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const claims = { sub: session.user.id, sid, iss: ISSUER, aud: AUDIENCE, iat: 1, exp: 9_999_999_999 };
      for (const kid of [kidOf(OLD_SECRET), kidOf(NEW_SECRET)]) {
        await expectInvalid(`${encode({ alg: 'none', typ: 'JWT', kid })}.${encode(claims)}.`);
      }
    });
  });

  // JWT_PREVIOUS_SECRET empty, as compose passes it when unset.
  describe('after: JWT_SECRET=new, JWT_PREVIOUS_SECRET removed', () => {
    phase({ JWT_SECRET: NEW_SECRET, JWT_PREVIOUS_SECRET: '' });

    it('refuses the token issued with the old secret (401)', async () => {
      await expectInvalid(session.accessToken);
    });

    it('accepts the token issued during the rotation', async () => {
      expect((await me(issuedDuring.accessToken)).statusCode).toBe(200);
    });

    it('refreshes with the refresh token issued before the rotation: it is opaque, stored as a hash', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      });
      expect(response.statusCode).toBe(200);
      const refreshed = response.json<Session>();
      expect(kidIn(refreshed.accessToken)).toBe(kidOf(NEW_SECRET));
      expect((await me(refreshed.accessToken)).statusCode).toBe(200);
    });
  });
});
