import { env, parseEnv } from '@app/platform';
import { registerAs } from '@nestjs/config';
import { z } from 'zod';

export const mailConfig = registerAs('mail', () => {
  const vars = parseEnv('mail', {
    // smtp://user:pass@host:port; STARTTLS is used when the server offers it. Unset: the
    // messages are written as .eml files under MAIL_DIR instead (development, demos).
    SMTP_URL: env.optionalUrl(['smtp', 'smtps']),
    MAIL_FROM: z.string().min(3).default('Commerce <no-reply@localhost>'),
    MAIL_DIR: z.string().min(1).default('.data/mail'),
    // Where the links in emails point (the web front end that calls verify-email, etc.).
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
    // One SMTP conversation may not take longer; a hung server is then a retried failure.
    SMTP_TIMEOUT_MS: env.int(15_000, 100),
    // Deliveries of one email before it is dead-lettered; retried with the bus's backoff
    // (AMQP_RETRY_DELAY_MS x attempt), so the default rides out about a minute of outage
    // per second of AMQP_RETRY_DELAY_MS.
    MAIL_MAX_DELIVERY_ATTEMPTS: env.int(12, 1, 100),
  });
  return {
    smtpUrl: vars.SMTP_URL,
    from: vars.MAIL_FROM,
    directory: vars.MAIL_DIR,
    publicUrl: vars.PUBLIC_URL.endsWith('/') ? vars.PUBLIC_URL.slice(0, -1) : vars.PUBLIC_URL,
    timeoutMs: vars.SMTP_TIMEOUT_MS,
    maxDeliveryAttempts: vars.MAIL_MAX_DELIVERY_ATTEMPTS,
  };
});

export type MailConfig = ReturnType<typeof mailConfig>;
