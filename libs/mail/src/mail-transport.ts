import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import type { MailConfig } from './mail.config';

/** Sends one message built by nodemailer; resolves once it is accepted (or written). */
export interface MailTransport {
  readonly description: string;
  send(message: SendMailOptions): Promise<void>;
  close(): void;
}

/**
 * SMTP_URL's server. Nodemailer upgrades with STARTTLS whenever the server offers it
 * (port 465 speaks TLS from the start, smtps://); no pool: one connection per message
 * keeps a dead server's failure attached to the message being retried.
 */
export function smtpTransport(config: MailConfig, smtpUrl: string): MailTransport {
  const url = new URL(smtpUrl);
  const transporter: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
  });
  return {
    description: `SMTP server ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`,
    send: async (message) => {
      await transporter.sendMail(message);
    },
    close: () => transporter.close(),
  };
}

/**
 * No SMTP_URL: each message is written, as the raw RFC 5322 text nodemailer would have
 * sent, to `<directory>/<time-ordered id>.eml`, which any mail client opens.
 */
export function fileTransport(directory: string, logger: Logger): MailTransport {
  const absolute = path.resolve(directory);
  const transporter: Transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `directory ${absolute}`,
    send: async (message) => {
      const info = (await transporter.sendMail(message)) as { message: Buffer };
      await mkdir(absolute, { recursive: true });
      const file = path.join(absolute, `${uuidv7()}.eml`);
      await writeFile(file, info.message);
      logger.debug({ file }, 'email written');
    },
    close: () => transporter.close(),
  };
}
