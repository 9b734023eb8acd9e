import { ROOT_LOGGER } from '@app/platform';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { mailConfig } from './mail.config';
import type { MailMessage } from './mail-message';
import { fileTransport, MailTransport, smtpTransport } from './mail-transport';

/**
 * Sends email, to SMTP_URL's server or, without one, into MAIL_DIR as .eml files. Only
 * consumers call it (mail leaves through the outbox), so a slow or failing server slows
 * or fails a delivery the bus retries, never a request. It throws when the message was
 * not accepted.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: MailTransport;
  private readonly logger: Logger;

  constructor(
    @Inject(mailConfig.KEY) private readonly config: ConfigType<typeof mailConfig>,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'mail' });
    this.transport = config.smtpUrl
      ? smtpTransport(config, config.smtpUrl)
      : fileTransport(config.directory, this.logger);
    this.logger.info(`emails go to the ${this.transport.description}`);
    if (!config.smtpUrl && process.env.NODE_ENV === 'production') {
      // Allowed (a staging box may want the files), but in production nobody would get them.
      this.logger.warn('SMTP_URL is not set: emails are written to files, not sent');
    }
  }

  /** The absolute URL of a front-end page, for links in emails. */
  link(pagePath: string, query: Record<string, string>): string {
    return `${this.config.publicUrl}${pagePath}?${new URLSearchParams(query).toString()}`;
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.send({
      from: this.config.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
