import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { adminEnv, bearer, changePassword, login, register, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';
import { describeWithRedis } from '../../support/requires';

/**
 * `GET /v1/users/me` is served from the cache (Redis and each process's memory). Two
 * app instances on one database and one Redis stand for two cluster workers: a write
 * through either one is seen at once by the next read in both, never a stale profile.
 */
// Two app instances share their counters and evictions only through Redis; without it
// each process keeps its own (as the laptop mode intends), so there is nothing to test.
describeWithRedis('the cached profile follows every write to the user, in every process', () => {
  let writer: NestFastifyApplication;
  let reader: NestFastifyApplication;
  let admin: Session;
  let customer: Session;
  const env = adminEnv();

  beforeAll(async () => {
    writer = await createTestApp(env);
    reader = await createTestApp(env);
    admin = await login(writer, env.ADMIN_EMAIL);
    customer = await register(writer);
  });

  afterAll(async () => {
    await writer?.close();
    await reader?.close();
  });

  const me = async (app: NestFastifyApplication, token = customer.accessToken) => {
    const answer = await app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) });
    expect(answer.statusCode).toBe(200);
    return answer.json<{ name: string; roles: string[]; updatedAt: string }>();
  };

  it('a profile change', async () => {
    // Both processes hold the profile in memory first.
    await me(writer);
    await me(reader);
    const patched = await writer.inject({
      method: 'PATCH',
      url: '/v1/users/me',
      headers: bearer(customer.accessToken),
      payload: { name: 'Renamed Once' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await me(writer)).name).toBe('Renamed Once');
    expect((await me(reader)).name).toBe('Renamed Once');
  });

  it("an admin's change of roles", async () => {
    await me(reader);
    const changed = await writer.inject({
      method: 'PATCH',
      url: `/v1/users/${customer.user.id}`,
      headers: bearer(admin.accessToken),
      payload: { roles: ['customer', 'admin'] },
    });
    expect(changed.statusCode).toBe(200);
    expect((await me(reader)).roles).toEqual(['customer', 'admin']);
  });

  it('a password change (its updatedAt)', async () => {
    const before = await me(reader);
    const changed = await changePassword(writer, customer.accessToken, 'ochre-lantern-fjord-willow');
    expect(changed.statusCode).toBe(204);
    expect((await me(reader)).updatedAt).not.toBe(before.updatedAt);
  });
});
