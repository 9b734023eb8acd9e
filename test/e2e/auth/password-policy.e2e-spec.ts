import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { changePassword, login, register, uniqueEmail } from '../../support/auth-helpers';
import { createTestApp } from '../../support/test-app';

/** Every new password must be hard to guess and not built on the email or name. */
describe('password policy (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  const expectTooWeak = (
    response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
    field: string,
  ) => {
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    const problem = response.json() as { code: string; errors: Array<{ field: string; message: string }> };
    expect(problem.code).toBe('PASSWORD_TOO_WEAK');
    expect(problem.errors.length).toBeGreaterThan(0);
    for (const error of problem.errors) {
      expect(error.field).toBe(field);
      expect(error.message.length).toBeGreaterThan(0);
    }
    return problem.errors.map((error) => error.message);
  };

  describe('register', () => {
    const registerWith = (email: string, password: string, name = 'Pat Example') =>
      app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password, name } });

    it.each([
      ['a common password', () => 'password1234'],
      ['a digit run', () => '123456789012'],
      ['the email itself', (email: string) => email],
    ])('refuses %s with 400 PASSWORD_TOO_WEAK and zxcvbn feedback, creating nothing', async (_what, passwordFor) => {
      const email = uniqueEmail('weak');
      expectTooWeak(await registerWith(email, passwordFor(email)), 'password');
      const rows = await app.get(DataSource).query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(0);
    });

    it("refuses a password built on the user's name, even with more after it", async () => {
      const messages = expectTooWeak(
        await registerWith(uniqueEmail('named'), 'Quintessa-Marlowe-2026', 'Quintessa Marlowe'),
        'password',
      );
      expect(messages).toContain('The password is built on your email address or name.');
    });

    it('gives zxcvbn warning and suggestions as the reasons', async () => {
      const messages = expectTooWeak(await registerWith(uniqueEmail('weak'), 'password1234'), 'password');
      expect(messages).toEqual([
        'This is similar to a commonly used password.',
        'Add more words that are less common.',
      ]);
    });

    it('accepts a strong password', async () => {
      const email = uniqueEmail('strong');
      const response = await registerWith(email, 'velvet-canyon-orbit-42');
      expect(response.statusCode).toBe(201);
      await expect(login(app, email, 'velvet-canyon-orbit-42')).resolves.toBeDefined();
    });
  });

  describe('password change', () => {
    it('refuses a weak new password on the newPassword field and keeps the old one', async () => {
      const email = uniqueEmail('changer');
      const session = await register(app, email);
      for (const newPassword of ['password1234', '123456789012', email]) {
        expectTooWeak(await changePassword(app, session.accessToken, newPassword), 'newPassword');
      }
      await expect(login(app, email)).resolves.toBeDefined();
    });

    it('accepts a strong new password', async () => {
      const email = uniqueEmail('changer');
      const session = await register(app, email);
      const response = await changePassword(app, session.accessToken, 'saffron-pylon-drift-93');
      expect(response.statusCode).toBe(204);
      await expect(login(app, email, 'saffron-pylon-drift-93')).resolves.toBeDefined();
    });
  });
});
