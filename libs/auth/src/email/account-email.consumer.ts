import { mailConfig } from '@app/mail';
import { MessageBus } from '@app/platform';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AccountEmailSender } from './account-email.sender';
import { EmailRequested } from './email.events';

/**
 * Sends the requested account emails (in the worker, or in the API without a broker).
 * A mail server that fails or is down fails the delivery, which the bus retries with
 * its backoff (AMQP_RETRY_DELAY_MS x attempt) up to MAIL_MAX_DELIVERY_ATTEMPTS, then
 * dead-letters: an email is never dropped.
 */
@Injectable()
export class AccountEmailConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: MessageBus,
    private readonly sender: AccountEmailSender,
    @Inject(mailConfig.KEY) private readonly config: ConfigType<typeof mailConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consumeEvents(
      { queue: 'auth.account-emails', events: [EmailRequested], maxAttempts: this.config.maxDeliveryAttempts },
      (event) => this.sender.send(event.id, event.payload),
    );
  }
}
