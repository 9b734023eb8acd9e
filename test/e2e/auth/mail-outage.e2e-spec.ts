import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { waitFor } from '../../support/api-process';
import { register, uniqueEmail } from '../../support/auth-helpers';
import { AppWithJobs, createAppWithJobs } from '../../support/mail-app';
import { DeadPort, SmtpSink } from '../../support/smtp-sink';

const PORT = 4252;
const VERIFY = 'Confirm your email address';
const REGISTRATIONS = 5;

/**
 * The mail server goes away while people register: every registration still succeeds
 * (mail leaves through the outbox, never from the request), the consumer keeps retrying,
 * and once the server is back every email arrives. The retry backoff is lowered through
 * the settings (AMQP_RETRY_DELAY_MS, MAIL_MAX_DELIVERY_ATTEMPTS), and the test waits on
 * events (connection attempts, received mail), never on time.
 */
describe('a dead mail server loses no email and fails no request (e2e)', () => {
  let app: NestFastifyApplication;
  let running: AppWithJobs;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await new SmtpSink(PORT).start();
    running = await createAppWithJobs('mail_outage', {
      SMTP_URL: smtp.url,
      AMQP_RETRY_DELAY_MS: '50',
      MAIL_MAX_DELIVERY_ATTEMPTS: '100',
    });
    app = running.app;
  });

  afterAll(async () => {
    await running?.close();
    await smtp?.stop();
  });

  it('delivers every email sent while the server was down once it returns', async () => {
    const before = uniqueEmail('outage-before');
    await register(app, before);
    await smtp.waitForMail(before, 1, VERIFY);

    await smtp.stop();
    const dead = await new DeadPort(PORT).start();
    const emails = Array.from({ length: REGISTRATIONS }, () => uniqueEmail('outage'));
    // Each registration answers 201 while no mail can be sent (register() throws otherwise).
    for (const email of emails) {
      await register(app, email);
    }
    // More connection attempts than emails: they failed, and were retried.
    await waitFor(
      () => dead.attempts >= 2 * REGISTRATIONS,
      30_000,
      () => `${dead.attempts} attempts`,
    );
    expect(emails.flatMap((email) => smtp.to(email))).toEqual([]);

    await dead.stop();
    await smtp.start();
    for (const email of emails) {
      const [mail] = await smtp.waitForMail(email, 1, VERIFY, 30_000);
      expect(mail.text).toContain('/verify-email?token=');
    }
  });
});
