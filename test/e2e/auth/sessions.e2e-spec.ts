import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { bearer, login, PASSWORD, register, Session, uniqueEmail } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';
import { describeWithRedis } from '../../support/requires';

const SECRET = process.env.JWT_SECRET!;

/**
 * Two app instances on the same PostgreSQL and Redis stand for two cluster workers.
 * Each test first makes both of them cache the user (so the second one holds a
 * process-local copy), ends a session on one, and at once asks the other. Needs
 * REDIS_URL: the two processes share sessions through Redis.
 */
describeWithRedis('ended sessions refuse their access tokens at once, in every process (e2e)', () => {
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    first = await createTestApp();
    second = await createTestApp();
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  const me = (app: NestFastifyApplication, token: string) =>
    app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });

  /** Both processes answer 200 for each token: both now hold the user in their caches. */
  async function warm(...sessions: Session[]): Promise<void> {
    for (const app of [first, second]) {
      for (const session of sessions) {
        expect((await me(app, session.accessToken)).statusCode).toBe(200);
      }
    }
  }

  async function expectRevoked(app: NestFastifyApplication, token: string): Promise<void> {
    const response = await me(app, token);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.json().code).toBe('AUTH_SESSION_REVOKED');
  }

  async function twoSessions(): Promise<[Session, Session]> {
    const email = uniqueEmail('sessions');
    const a = await register(first, email);
    const b = await login(second, email);
    await warm(a, b);
    return [a, b];
  }

  it('logout: that session is refused here and in the other process; the other session keeps working', async () => {
    const [a, b] = await twoSessions();
    const out = await first.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: bearer(a.accessToken),
      payload: { refreshToken: a.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    await expectRevoked(second, a.accessToken);
    await expectRevoked(first, a.accessToken);
    expect((await me(second, b.accessToken)).statusCode).toBe(200);
    expect((await me(first, b.accessToken)).statusCode).toBe(200);
  });

  it('logout-all: every session of the user is refused in both processes', async () => {
    // Registered first: hashing its password is slow, and the local copies live only 5 s.
    const stranger = await register(first);
    const [a, b] = await twoSessions();
    await warm(stranger);
    expect(
      (await second.inject({ method: 'POST', url: '/v1/auth/logout-all', headers: bearer(b.accessToken) })).statusCode,
    ).toBe(204);
    await expectRevoked(first, a.accessToken);
    await expectRevoked(first, b.accessToken);
    await expectRevoked(second, a.accessToken);
    // Another user's sessions are untouched.
    expect((await me(first, stranger.accessToken)).statusCode).toBe(200);
  });

  it('refresh-token reuse: the revoked family’s access tokens, the newest too, are refused at once', async () => {
    const [a, b] = await twoSessions();
    const rotated = (
      await first.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: a.refreshToken } })
    ).json<Session>();
    await warm(rotated);
    const replay = await first.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: a.refreshToken },
    });
    expect(replay.json().code).toBe('AUTH_REFRESH_REUSED');
    await expectRevoked(second, rotated.accessToken);
    await expectRevoked(second, a.accessToken);
    expect((await me(second, b.accessToken)).statusCode).toBe(200);
  });

  it('password change: the other sessions are refused in both processes; the caller’s own keeps working', async () => {
    const [a, b] = await twoSessions();
    const changed = await first.inject({
      method: 'POST',
      url: '/v1/users/me/password',
      headers: bearer(a.accessToken),
      payload: { currentPassword: PASSWORD, newPassword: `${PASSWORD}-renewed` },
    });
    expect(changed.statusCode).toBe(204);
    await expectRevoked(second, b.accessToken);
    await expectRevoked(first, b.accessToken);
    expect((await me(second, a.accessToken)).statusCode).toBe(200);
  });

  it('a validly signed token naming a session that never existed is refused', async () => {
    const session = await register(first);
    await warm(session);
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ roles: ['customer'], sid: randomUUID(), iat: now, exp: now + 60 }, SECRET, {
      algorithm: 'HS256',
      subject: session.user.id,
      issuer: 'commerce-api',
      audience: 'commerce-api-clients',
    });
    await expectRevoked(first, token);
    await expectRevoked(second, token);
    expect((await me(second, session.accessToken)).statusCode).toBe(200);
  });

  it('a session started in one process works at once in the other, which still caches the user', async () => {
    const [a] = await twoSessions();
    const fresh = await login(first, a.user.email);
    expect((await me(second, fresh.accessToken)).statusCode).toBe(200);
    const refreshed = (
      await first.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: fresh.refreshToken } })
    ).json<Session>();
    expect((await me(second, refreshed.accessToken)).statusCode).toBe(200);
  });
});
