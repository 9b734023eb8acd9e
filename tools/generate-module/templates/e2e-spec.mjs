// The e2e spec (jest project `e2e`): the real app and database over HTTP.

export const e2eSpecFiles = (n) => ({
  [`test/e2e/${n.kebab}/${n.kebab}.e2e-spec.ts`]: `import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { adminEnv, bearer, login, register, Session } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

describe('${n.kebab} (e2e)', () => {
  let app: NestFastifyApplication;
  let admin: Session;
  let customer: Session;

  beforeAll(async () => {
    const env = adminEnv();
    app = await createTestApp(env);
    admin = await login(app, env.ADMIN_EMAIL);
    customer = await register(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it('creates, reads, lists, changes and deletes as an admin', async () => {
    const created = await app.inject({ method: 'POST', url: '/v1/${n.kebab}', headers: bearer(admin.accessToken), payload: { name: 'First', description: 'A test one' } });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();

    const read = await app.inject({ method: 'GET', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(customer.accessToken) });
    expect(read.json()).toMatchObject({ id, name: 'First', description: 'A test one' });
    const list = await app.inject({ method: 'GET', url: '/v1/${n.kebab}?limit=100', headers: bearer(customer.accessToken) });
    expect(list.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toContain(id);

    const changed = await app.inject({ method: 'PATCH', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(admin.accessToken), payload: { name: 'Renamed' } });
    expect(changed.json()).toMatchObject({ id, name: 'Renamed', description: 'A test one' });

    expect((await app.inject({ method: 'DELETE', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(admin.accessToken) })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: \`/v1/${n.kebab}/\${id}\`, headers: bearer(admin.accessToken) });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: '${n.CODE}_NOT_FOUND' });
  });

  it('refuses bad input (400), customers writing (403) and callers without a token (401)', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/${n.kebab}', headers: bearer(admin.accessToken), payload: { name: '', extra: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await app.inject({ method: 'POST', url: '/v1/${n.kebab}', headers: bearer(customer.accessToken), payload: { name: 'Nope' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/v1/${n.kebab}' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: \`/v1/${n.kebab}/\${randomUUID()}\`, headers: bearer(admin.accessToken) })).statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(document.paths['/v1/${n.kebab}'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(document.paths['/v1/${n.kebab}/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});
`,
});
