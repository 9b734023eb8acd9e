import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { bearer, login, PASSWORD, register, uniqueEmail } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

const SECRET = process.env.JWT_SECRET!;
const ISSUER = 'commerce-api';
const AUDIENCE = 'commerce-api-clients';

describe('auth (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ LOGIN_FAILURES_PER_EMAIL: '3', THROTTLE_AUTH_PER_MINUTE: '1000' });
  });

  afterAll(async () => {
    await app.close();
  });

  const me = (token: string) => app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });
  const refresh = (refreshToken: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });

  describe('register', () => {
    it('creates a customer and returns a token pair, never the password hash', async () => {
      const email = uniqueEmail();
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email, password: PASSWORD, name: 'Ann' },
      });
      expect(response.statusCode).toBe(201);
      const body = response.json();
      expect(body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        user: { email, name: 'Ann', roles: ['customer'], status: 'active' },
      });
      expect(body.accessToken.split('.')).toHaveLength(3);
      expect(body.refreshToken.length).toBeGreaterThanOrEqual(43);
      expect(response.body).not.toMatch(/argon2|passwordHash|password_hash/);
      expect((await me(body.accessToken)).statusCode).toBe(200);
    });

    it('treats email case variants as the same account (409)', async () => {
      const email = uniqueEmail();
      await register(app, email);
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email: email.toUpperCase(), password: PASSWORD, name: 'Dup' },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('USER_EMAIL_TAKEN');
    });

    it('rejects roles or status smuggled into the body and creates nothing', async () => {
      const email = uniqueEmail();
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email, password: PASSWORD, name: 'Mallory', roles: ['admin'], status: 'active' },
      });
      expect(response.statusCode).toBe(400);
      expect(
        response
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['roles', 'status']);
      const rows = await app.get(DataSource).query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(0);
    });

    it('enforces the password length', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: { email: uniqueEmail(), password: 'short', name: 'X' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].field).toBe('password');
    });
  });

  describe('login', () => {
    it('logs in case-insensitively', async () => {
      const email = uniqueEmail();
      await register(app, email);
      const session = await login(app, email.toUpperCase());
      expect(session.user.email).toBe(email);
    });

    it('gives the same 401 for an unknown email and a wrong password', async () => {
      const email = uniqueEmail();
      await register(app, email);
      const wrongPassword = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password: 'not-the-password' },
      });
      const unknown = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: uniqueEmail(), password: 'not-the-password' },
      });
      expect(wrongPassword.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
      expect(strip(wrongPassword.json())).toEqual(strip(unknown.json()));
      expect(wrongPassword.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    });

    it('throttles repeated failures for one email with 429 and Retry-After', async () => {
      const email = uniqueEmail();
      await register(app, email);
      for (let i = 0; i < 3; i++) {
        const failed = await app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email, password: 'wrong-password' },
        });
        expect(failed.statusCode).toBe(401);
      }
      const blocked = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password: PASSWORD },
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/problem\+json/);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    });
  });

  describe('refresh tokens', () => {
    it('rotates: the new pair works and the old refresh token does not', async () => {
      const session = await register(app);
      const first = await refresh(session.refreshToken);
      expect(first.statusCode).toBe(200);
      const rotated = first.json();
      expect(rotated.refreshToken).not.toBe(session.refreshToken);
      expect((await me(rotated.accessToken)).statusCode).toBe(200);
      expect((await refresh(rotated.refreshToken)).statusCode).toBe(200);
    });

    it('a replayed (already rotated) token revokes the whole family, the newest token too', async () => {
      const session = await register(app);
      const newest = (await refresh(session.refreshToken)).json();
      const replay = await refresh(session.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe('AUTH_REFRESH_REUSED');
      const afterReplay = await refresh(newest.refreshToken);
      expect(afterReplay.statusCode).toBe(401);
    });

    it('lets only one of two concurrent refreshes of the same token succeed', async () => {
      const session = await register(app);
      const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });

    it('logout revokes the session: its refresh token stops working', async () => {
      const session = await register(app);
      const out = await app.inject({
        method: 'POST',
        url: '/v1/auth/logout',
        headers: bearer(session.accessToken),
        payload: { refreshToken: session.refreshToken },
      });
      expect(out.statusCode).toBe(204);
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    });

    it('logout-all revokes every session of the user', async () => {
      const email = uniqueEmail();
      const a = await register(app, email);
      const b = await login(app, email);
      const out = await app.inject({ method: 'POST', url: '/v1/auth/logout-all', headers: bearer(a.accessToken) });
      expect(out.statusCode).toBe(204);
      expect((await refresh(a.refreshToken)).statusCode).toBe(401);
      expect((await refresh(b.refreshToken)).statusCode).toBe(401);
    });
  });

  describe('access tokens', () => {
    let session: Awaited<ReturnType<typeof register>>;

    beforeAll(async () => {
      session = await register(app);
    });

    const sign = (payload: object, options: jwt.SignOptions, key: jwt.Secret = SECRET) =>
      jwt.sign(payload, key, { subject: session.user.id, ...options });

    it('accepts a good token with the configured iss and aud (green path)', async () => {
      const { sid } = jwt.decode(session.accessToken) as { sid: string };
      const token = sign({ sid }, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 });
      expect((await me(token)).statusCode).toBe(200);
    });

    it('rejects an expired token with AUTH_TOKEN_EXPIRED', async () => {
      const token = sign(
        { exp: Math.floor(Date.now() / 1000) - 10 },
        { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE },
      );
      const response = await me(token);
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('AUTH_TOKEN_EXPIRED');
    });

    it('rejects a tampered signature', async () => {
      const [header, payload, signature] = session.accessToken.split('.');
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await me(`${header}.${payload}.${flipped}`)).statusCode).toBe(401);
      const forgedPayload = Buffer.from(
        JSON.stringify({ sub: session.user.id, roles: ['admin'], iss: ISSUER, aud: AUDIENCE, exp: 9999999999 }),
      ).toString('base64url');
      expect((await me(`${header}.${forgedPayload}.${signature}`)).statusCode).toBe(401);
    });

    it('rejects alg: none', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(
        JSON.stringify({ sub: session.user.id, iss: ISSUER, aud: AUDIENCE, exp: 9999999999 }),
      ).toString('base64url');
      expect((await me(`${header}.${payload}.`)).statusCode).toBe(401);
    });

    it('rejects another algorithm (RS256 with an attacker key, HS512 with the secret)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rs = sign({}, { algorithm: 'RS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 }, privateKey);
      expect((await me(rs)).statusCode).toBe(401);
      const hs512 = sign({}, { algorithm: 'HS512', issuer: ISSUER, audience: AUDIENCE, expiresIn: 60 });
      expect((await me(hs512)).statusCode).toBe(401);
    });

    it('rejects a wrong issuer and a wrong audience', async () => {
      const wrongIss = sign({}, { algorithm: 'HS256', issuer: 'someone-else', audience: AUDIENCE, expiresIn: 60 });
      const wrongAud = sign({}, { algorithm: 'HS256', issuer: ISSUER, audience: 'other-service', expiresIn: 60 });
      expect((await me(wrongIss)).statusCode).toBe(401);
      expect((await me(wrongAud)).statusCode).toBe(401);
    });

    it('rejects a token whose nbf is in the future', async () => {
      const token = sign(
        {},
        { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 600, notBefore: 300 },
      );
      expect((await me(token)).statusCode).toBe(401);
    });

    it('answers a missing token with a 401 problem', async () => {
      const response = await app.inject({ method: 'GET', url: '/v1/users/me' });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(response.json().code).toBe('AUTH_UNAUTHENTICATED');
    });
  });
});
