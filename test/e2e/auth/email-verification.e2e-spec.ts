import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, PASSWORD, register, uniqueEmail } from '../../support/auth-helpers';
import { SmtpSink, tokenFrom } from '../../support/smtp-sink';
import { AppWithJobs, createAppWithJobs } from '../../support/mail-app';
import { createTestApp } from '../../support/test-app';

const PUBLIC_URL = 'https://shop.example.test';

/**
 * Registration mails a verification link through the outbox to a real SMTP server; the
 * test follows the token from the received email. No broker: the API runs the consumer.
 */
describe('email verification (e2e, real SMTP server)', () => {
  let app: NestFastifyApplication;
  let running: AppWithJobs;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await new SmtpSink(4250).start();
    running = await createAppWithJobs('mail_verify', {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Shop <shop@example.test>',
      PUBLIC_URL,
      EMAIL_VERIFICATION_REQUIRED: 'true',
      ACCOUNT_EMAILS_PER_CLIENT: '2',
      // Counters of its own: other specs' invalid tokens from the same address stay out.
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX ?? 'commerce'}-verify-email`,
    });
    app = running.app;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.stop();
  });

  const me = async (token: string) =>
    (await app.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(token) })).json<{
      emailVerified: boolean;
    }>();
  const verify = (token: string) => app.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token } });

  it('mails a link with the token (text and HTML, values escaped); the token verifies the email once', async () => {
    const email = uniqueEmail('verify');
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: PASSWORD, name: 'Ada <b>&</b>' },
    });
    expect(response.statusCode).toBe(201);
    const session = response.json<{ accessToken: string }>();
    expect(await me(session.accessToken)).toMatchObject({ emailVerified: false });

    const [mail] = await smtp.waitForMail(email);
    expect(mail.from?.text).toBe('"Shop" <shop@example.test>');
    expect(mail.subject).toBe('Confirm your email address');
    const token = tokenFrom(mail, `${PUBLIC_URL}/verify-email`);
    expect(mail.text).toContain(`\n${token}\n`);
    expect(mail.html).toContain(`${PUBLIC_URL}/verify-email?token=${token}`);
    expect(mail.html).toContain('Ada &lt;b&gt;&amp;&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>&');

    // Only the hash is stored.
    const rows: Array<{ token_hash: string }> = await app
      .get(DataSource)
      .query(
        `SELECT token_hash FROM account_tokens WHERE purpose = 'verify-email' AND token_hash = encode(sha256($1::bytea), 'hex')`,
        [token],
      );
    expect(rows).toHaveLength(1);

    expect((await verify(token)).statusCode).toBe(204);
    expect(await me(session.accessToken)).toMatchObject({ emailVerified: true });
    const again = await verify(token);
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('AUTH_TOKEN_INVALID_OR_USED');
  });

  it('refuses an unknown or expired token', async () => {
    const unknown = await verify('x'.repeat(43));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('AUTH_TOKEN_INVALID_OR_USED');

    const email = uniqueEmail('expired');
    await register(app, email);
    const token = tokenFrom((await smtp.waitForMail(email))[0], `${PUBLIC_URL}/verify-email`);
    await app
      .get(DataSource)
      .query(
        `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`,
        [token],
      );
    const expired = await verify(token);
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('AUTH_TOKEN_INVALID_OR_USED');
  });

  it('resends a verification email (202), throttled per account and client address', async () => {
    const email = uniqueEmail('resend');
    const session = await register(app, email);
    await smtp.waitForMail(email);
    const resend = () =>
      app.inject({ method: 'POST', url: '/v1/auth/verify-email/resend', headers: bearer(session.accessToken) });
    expect((await resend()).statusCode).toBe(202);
    const mails = await smtp.waitForMail(email, 2);
    expect((await resend()).statusCode).toBe(202);
    const limited = await resend();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(limited.headers['retry-after']).toBeDefined();
    // Either email's token works: each is its own single-use token.
    expect((await verify(tokenFrom(mails[1], `${PUBLIC_URL}/verify-email`))).statusCode).toBe(204);
  });

  it('with EMAIL_VERIFICATION_REQUIRED, refuses orders and subscriptions until the email is verified', async () => {
    const email = uniqueEmail('unverified');
    const session = await register(app, email);
    const order = () =>
      app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: { ...bearer(session.accessToken), 'idempotency-key': `k-${email}` },
        payload: { items: [{ productId: '00000000-0000-7000-8000-000000000000', quantity: 1 }] },
      });
    const subscribe = () =>
      app.inject({
        method: 'POST',
        url: '/v1/subscriptions',
        headers: bearer(session.accessToken),
        payload: { planId: '00000000-0000-7000-8000-000000000000' },
      });
    for (const response of [await order(), await subscribe()]) {
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('EMAIL_NOT_VERIFIED');
    }
    // Reads stay open.
    const list = await app.inject({ method: 'GET', url: '/v1/orders', headers: bearer(session.accessToken) });
    expect(list.statusCode).toBe(200);

    const token = tokenFrom((await smtp.waitForMail(email))[0], `${PUBLIC_URL}/verify-email`);
    expect((await verify(token)).statusCode).toBe(204);
    // Past the check: the unknown product and plan are the next answers.
    for (const response of [await order(), await subscribe()]) {
      expect(response.statusCode).not.toBe(403);
      expect(response.statusCode).toBeLessThan(500);
    }
  });

  it('throttles invalid tokens per client address', async () => {
    const strict = await createTestApp({
      LOGIN_FAILURES_PER_EMAIL: '2',
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX ?? 'commerce'}-token-throttle`,
    });
    try {
      const send = (token: string) =>
        strict.inject({ method: 'POST', url: '/v1/auth/verify-email', payload: { token } });
      expect((await send('a'.repeat(43))).statusCode).toBe(400);
      expect((await send('b'.repeat(43))).statusCode).toBe(400);
      const limited = await send('c'.repeat(43));
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    } finally {
      await strict.close();
    }
  });
});
