import { OutboxRepository, Transactional } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { EmailRequested } from './email.events';

/**
 * Asks for account emails: an `email.requested` outbox row in the caller's transaction
 * (or one of its own), relayed to the bus and sent by AccountEmailSender in a consumer.
 * The request that asks never talks to the mail server, so a slow or dead one never
 * fails or slows it, and the row outlives any crash until the email is out.
 */
@Injectable()
export class AccountEmails {
  constructor(private readonly outbox: OutboxRepository) {}

  /** Joins the registration's transaction: the account and its email commit together. */
  @Transactional()
  async requestVerification(userId: string): Promise<void> {
    await this.outbox.enqueue(EmailRequested, { kind: 'verify-email', userId });
  }

  /** The same single insert whether or not an account has this address (see AccountRecoveryService). */
  @Transactional()
  async requestPasswordReset(email: string): Promise<void> {
    await this.outbox.enqueue(EmailRequested, { kind: 'password-reset', email: email.toLowerCase() });
  }
}
