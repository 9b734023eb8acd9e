import { JobsModule } from '@app/jobs';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { register, uniqueEmail } from '../../support/auth-helpers';
import { createPlatformContext } from '../../support/platform-context';
import { describeWithRabbit } from '../../support/requires';
import { SmtpSink } from '../../support/smtp-sink';
import { createIsolatedDatabase } from '../../support/test-database';
import { createTestApp } from '../../support/test-app';

/**
 * The production shape: the API only writes the outbox row; the worker (JobsModule on
 * RabbitMQ) relays it and its consumer sends the email. A database, exchange and queues
 * of their own, so this worker's relay carries no other spec's events away.
 */
describeWithRabbit('account emails through RabbitMQ and the worker (e2e)', () => {
  let smtp: SmtpSink;
  let app: NestFastifyApplication;
  let worker: INestApplicationContext;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    smtp = await new SmtpSink(4253).start();
    database = await createIsolatedDatabase('mail_broker');
    const tag = randomUUID().slice(0, 8);
    const env = {
      DATABASE_URL: database.url,
      AMQP_NAME_PREFIX: `${process.env.AMQP_NAME_PREFIX ?? 'commerce'}.m${tag}`,
      AMQP_QUEUE_EXPIRES_MS: '60000',
    };
    app = await createTestApp(env);
    worker = await createPlatformContext({ ...env, SMTP_URL: smtp.url }, { imports: [JobsModule] });
  });

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await database?.drop();
    await smtp?.stop();
  });

  it('sends the verification email of a registration made on the API', async () => {
    const email = uniqueEmail('broker');
    await register(app, email);
    const [mail] = await smtp.waitForMail(email, 1, 'Confirm your email address');
    expect(mail.text).toContain('/verify-email?token=');
  });
});
