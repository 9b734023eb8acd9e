import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { adminEnv, bearer, login, PASSWORD, register, Session, uniqueEmail } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

describe('users (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;
  const env = adminEnv();

  beforeAll(async () => {
    app = await createTestApp(env);
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const call = (method: 'GET' | 'PATCH' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
    app.inject({ method, url, headers: bearer(token), payload });

  it('the admin created from ADMIN_EMAIL has the admin role', () => {
    expect(admin.user.roles).toEqual(['admin']);
  });

  describe('/v1/users/me', () => {
    it('returns and updates the caller profile', async () => {
      const got = await call('GET', '/v1/users/me', customer.accessToken);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject({ id: customer.user.id, email: customer.user.email });
      const patched = await call('PATCH', '/v1/users/me', customer.accessToken, { name: 'Renamed' });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().name).toBe('Renamed');
    });

    it('rejects roles or status smuggled into PATCH /v1/users/me and changes nothing', async () => {
      const response = await call('PATCH', '/v1/users/me', customer.accessToken, {
        name: 'Evil',
        roles: ['admin'],
        status: 'active',
      });
      expect(response.statusCode).toBe(400);
      const [row] = await app.get(DataSource).query('SELECT name, roles FROM users WHERE id = $1', [customer.user.id]);
      expect(row.roles).toEqual(['customer']);
      expect(row.name).not.toBe('Evil');
    });

    it('changes the password and revokes the other sessions only', async () => {
      const email = uniqueEmail();
      const current = await register(app, email);
      const other = await login(app, email);
      const changed = await call('POST', '/v1/users/me/password', current.accessToken, {
        currentPassword: PASSWORD,
        newPassword: 'a-brand-new-password',
      });
      expect(changed.statusCode).toBe(204);
      const refresh = (token: string) =>
        app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token } });
      expect((await refresh(other.refreshToken)).statusCode).toBe(401);
      expect((await refresh(current.refreshToken)).statusCode).toBe(200);
      await expect(login(app, email)).rejects.toThrow('401');
      await expect(login(app, email, 'a-brand-new-password')).resolves.toBeDefined();
    });

    it('refuses a password change with a wrong current password', async () => {
      const response = await call('POST', '/v1/users/me/password', customer.accessToken, {
        currentPassword: 'wrong-password-here',
        newPassword: 'another-new-password',
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('AUTH_CURRENT_PASSWORD_WRONG');
    });
  });

  describe('admin routes', () => {
    it('are forbidden (403) to a customer', async () => {
      for (const [method, url] of [
        ['GET', '/v1/users'],
        ['GET', `/v1/users/${admin.user.id}`],
        ['PATCH', `/v1/users/${admin.user.id}`],
        ['DELETE', `/v1/users/${admin.user.id}`],
      ] as const) {
        const response = await call(
          method,
          url,
          customer.accessToken,
          method === 'PATCH' ? { status: 'suspended' } : undefined,
        );
        expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
        expect(response.json().code).toBe('AUTH_FORBIDDEN');
      }
    });

    it('list users with keyset pagination and filters', async () => {
      await register(app);
      await register(app);
      const first = await call('GET', '/v1/users?limit=2', admin.accessToken);
      expect(first.statusCode).toBe(200);
      const page = first.json();
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toEqual(expect.any(String));
      const second = (await call('GET', `/v1/users?limit=2&cursor=${page.nextCursor}`, admin.accessToken)).json();
      const ids = [...page.items, ...second.items].map((u: { id: string }) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      const byEmail = (
        await call('GET', `/v1/users?email=${encodeURIComponent(customer.user.email.toUpperCase())}`, admin.accessToken)
      ).json();
      expect(byEmail.items.map((u: { id: string }) => u.id)).toEqual([customer.user.id]);
      expect(JSON.stringify([page, second, byEmail])).not.toMatch(/argon2|passwordHash/);
    });

    it('reject a tampered cursor and an out-of-range limit with 400', async () => {
      for (const query of [
        'cursor=not-a-cursor',
        `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
        'limit=0',
        'limit=1000',
        'limit=abc',
      ]) {
        const response = await call('GET', `/v1/users?${query}`, admin.accessToken);
        expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
        expect(response.json().code).toBe('VALIDATION_FAILED');
      }
    });

    it('get one user, 404 for an unknown one, 400 for a bad id', async () => {
      expect((await call('GET', `/v1/users/${customer.user.id}`, admin.accessToken)).json().email).toBe(
        customer.user.email,
      );
      expect((await call('GET', '/v1/users/01000000-0000-7000-8000-000000000000', admin.accessToken)).statusCode).toBe(
        404,
      );
      expect((await call('GET', '/v1/users/not-a-uuid', admin.accessToken)).statusCode).toBe(400);
    });

    it('suspending a user locks out its access token at once and its refresh tokens', async () => {
      const victim = await register(app);
      expect((await call('GET', '/v1/users/me', victim.accessToken)).statusCode).toBe(200);
      const suspended = await call('PATCH', `/v1/users/${victim.user.id}`, admin.accessToken, { status: 'suspended' });
      expect(suspended.statusCode).toBe(200);
      expect(suspended.json().status).toBe('suspended');
      expect((await call('GET', '/v1/users/me', victim.accessToken)).statusCode).toBe(401);
      const refreshed = await app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: victim.refreshToken },
      });
      expect(refreshed.statusCode).toBe(401);
      await expect(login(app, victim.user.email)).rejects.toThrow('401');

      await call('PATCH', `/v1/users/${victim.user.id}`, admin.accessToken, { status: 'active' });
      // The refused refresh revoked that session's family, so its access token stays refused;
      // the reactivated user logs in again.
      const afterReactivation = await call('GET', '/v1/users/me', victim.accessToken);
      expect(afterReactivation.statusCode).toBe(401);
      expect(afterReactivation.json().code).toBe('AUTH_SESSION_REVOKED');
      const again = await login(app, victim.user.email);
      expect((await call('GET', '/v1/users/me', again.accessToken)).statusCode).toBe(200);
    });

    it('grants roles, and soft-deletes a user (204) who can no longer log in', async () => {
      const promoted = await register(app);
      const patched = await call('PATCH', `/v1/users/${promoted.user.id}`, admin.accessToken, {
        roles: ['customer', 'admin'],
      });
      expect(patched.json().roles).toEqual(['customer', 'admin']);
      expect((await call('GET', '/v1/users', promoted.accessToken)).statusCode).toBe(200);

      const removed = await call('DELETE', `/v1/users/${promoted.user.id}`, admin.accessToken);
      expect(removed.statusCode).toBe(204);
      expect((await call('GET', '/v1/users/me', promoted.accessToken)).statusCode).toBe(401);
      expect((await call('GET', `/v1/users/${promoted.user.id}`, admin.accessToken)).statusCode).toBe(404);
      const [row] = await app
        .get(DataSource)
        .query('SELECT status, deleted_at FROM users WHERE id = $1', [promoted.user.id]);
      expect(row.status).toBe('deleted');
      expect(row.deleted_at).not.toBeNull();
    });

    it('rejects unknown fields and bad values in an admin update', async () => {
      const target = await register(app);
      for (const payload of [{ roles: ['root'] }, { status: 'deleted' }, { email: 'x@example.com' }]) {
        const response = await call('PATCH', `/v1/users/${target.user.id}`, admin.accessToken, payload);
        expect(response.statusCode).toBe(400);
      }
    });
  });
});

describe('per-IP rate limit on credential endpoints (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({
      THROTTLE_AUTH_PER_MINUTE: '3',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-ip-limit`,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 429 problem+json with Retry-After once the limit is passed', async () => {
    const responses = [];
    for (let i = 0; i < 5; i++) {
      responses.push(
        await app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: uniqueEmail(), password: 'whatever-password' },
        }),
      );
    }
    expect(responses.map((response) => response.statusCode)).toEqual([401, 401, 401, 429, 429]);
    const limited = responses[4];
    if (!limited) {
      throw new Error('no response');
    }
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().code).toBe('RATE_LIMITED');
  });
});

describe('health and metrics are never rate limited (e2e)', () => {
  it('answers /health/live past the per-IP limit', async () => {
    const app = await createTestApp({
      THROTTLE_DEFAULT_PER_MINUTE: '2',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}-probe-limit`,
    });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await app.inject({ method: 'GET', url: '/health/live' })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = [];
      for (let i = 0; i < 3; i++) {
        limited.push((await app.inject({ method: 'GET', url: '/v1/products' })).statusCode);
      }
      expect(limited).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
