import type { Injector } from './http-injector';
import { randomUUID } from 'node:crypto';

/** Strong enough for the password policy (zxcvbn score 4, nothing of the test emails or names). */
export const PASSWORD = 'correct-horse-battery-staple';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; roles: string[] };
}

export async function register(app: Injector, email = uniqueEmail(), password = PASSWORD): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email, password, name: 'Test User' },
  });
  if (response.statusCode !== 201) {
    throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<Session>();
}

export async function login(app: Injector, email: string, password = PASSWORD): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) {
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<Session>();
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `POST /v1/users/me/password` as the caller of `token`; the answer, for the test to check. */
export function changePassword(app: Injector, token: string, newPassword: string, currentPassword = PASSWORD) {
  return app.inject({
    method: 'POST',
    url: '/v1/users/me/password',
    headers: bearer(token),
    payload: { currentPassword, newPassword },
  });
}

/** The admin the test app creates from ADMIN_EMAIL / ADMIN_PASSWORD at start. */
export function adminEnv(): { ADMIN_EMAIL: string; ADMIN_PASSWORD: string } {
  return { ADMIN_EMAIL: uniqueEmail('admin'), ADMIN_PASSWORD: PASSWORD };
}
