import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, login, PASSWORD, register, uniqueEmail } from '../../support/auth-helpers';
import { AppWithJobs, createAppWithJobs } from '../../support/mail-app';
import { SmtpSink, tokenFrom } from '../../support/smtp-sink';

const PUBLIC_URL = 'https://shop.example.test';
const NEW_PASSWORD = 'amber-lantern-quiver-meadow';

/** Password reset end to end: the token is followed from the email a real SMTP server received. */
describe('password reset (e2e, real SMTP server)', () => {
  let app: NestFastifyApplication;
  let running: AppWithJobs;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await new SmtpSink(4251).start();
    running = await createAppWithJobs('mail_reset', {
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      ACCOUNT_EMAILS_PER_CLIENT: '3',
      // Counters of its own: other specs' invalid tokens from the same address stay out.
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX ?? 'commerce'}-password-reset`,
    });
    app = running.app;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.stop();
  });

  const requestReset = (email: string) =>
    app.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email } });
  const confirm = (token: string, newPassword = NEW_PASSWORD) =>
    app.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, newPassword } });
  const RESET = 'Reset your password';

  async function resetToken(email: string): Promise<string> {
    const before = smtp.to(email, RESET).length;
    expect((await requestReset(email)).statusCode).toBe(202);
    const mails = await smtp.waitForMail(email, before + 1, RESET);
    return tokenFrom(mails.at(-1)!, `${PUBLIC_URL}/reset-password`);
  }

  it('answers an unknown email exactly like a known one, and mails only the account', async () => {
    const known = uniqueEmail('reset-known');
    await register(app, known);
    const unknown = uniqueEmail('reset-unknown');
    const [forUnknown, forKnown] = [await requestReset(unknown), await requestReset(known.toUpperCase())];
    expect(forUnknown.statusCode).toBe(202);
    expect(forKnown.statusCode).toBe(202);
    expect(forUnknown.body).toBe(forKnown.body);
    await smtp.waitForMail(known, 1, RESET);
    // Both requests were handled (their outbox rows published) and only the account got mail.
    expect(smtp.to(unknown)).toEqual([]);
  });

  it('sets the new password with the mailed token, once, and ends every session of the user', async () => {
    const email = uniqueEmail('reset');
    const first = await register(app, email);
    const second = await login(app, email);
    const token = await resetToken(email);

    const weak = await confirm(token, 'password1234');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('PASSWORD_TOO_WEAK');

    expect((await confirm(token)).statusCode).toBe(204);
    for (const session of [first, second]) {
      const me = await app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(session.accessToken) });
      expect(me.statusCode).toBe(401);
      expect(me.json().code).toBe('AUTH_SESSION_REVOKED');
      const refresh = await app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      });
      expect(refresh.statusCode).toBe(401);
    }
    const old = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: PASSWORD } });
    expect(old.statusCode).toBe(401);
    await login(app, email, NEW_PASSWORD);

    const reused = await confirm(token, 'another-quiet-harbor-lantern');
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('AUTH_TOKEN_INVALID_OR_USED');
  });

  it('stores only the hash of a token, and refuses an expired one', async () => {
    const email = uniqueEmail('reset-expired');
    await register(app, email);
    const token = await resetToken(email);
    const database = app.get(DataSource);
    const clear: unknown[] = await database.query(
      `SELECT 1 FROM account_tokens WHERE token_hash = $1 OR token_hash = encode(sha256($1::bytea), 'hex')
       UNION ALL SELECT 1 FROM outbox_messages WHERE payload::text LIKE '%' || $1 || '%'`,
      [token],
    );
    expect(clear).toHaveLength(1);
    await database.query(
      `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`,
      [token],
    );
    const expired = await confirm(token);
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('AUTH_TOKEN_INVALID_OR_USED');
  });

  it('throttles reset requests per account and client address, for unknown accounts too', async () => {
    const email = uniqueEmail('reset-flood');
    for (let i = 0; i < 3; i += 1) {
      expect((await requestReset(email)).statusCode).toBe(202);
    }
    const limited = await requestReset(email);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    // Another account from the same address is not affected.
    expect((await requestReset(uniqueEmail('reset-other'))).statusCode).toBe(202);
  });
});
