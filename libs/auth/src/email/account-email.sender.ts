import { ROOT_LOGGER } from '@app/platform';
import { Mailer, passwordResetMessage, verifyEmailMessage } from '@app/mail';
import { UserAccounts, UserError, UserErrorCode, UserProfile } from '@app/users';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ACCOUNT_TOKEN_TTL_MS, newAccountToken } from '../account-tokens/account-token';
import { AccountTokenPurpose, AccountTokensRepository } from '../account-tokens/account-tokens.repository';
import type { EmailRequest } from './email.events';

/** The front-end pages the links open; each reads `token` and calls the matching route. */
const PAGES: Record<AccountTokenPurpose, string> = {
  'verify-email': '/verify-email',
  'password-reset': '/reset-password',
};

/**
 * Sends one requested account email (run by the consumer of `email.requested`). The
 * token is minted here, stored as its hash under the message's id, and exists in clear
 * only in the email: a redelivery replaces it. A request that no longer applies (no
 * such account, not active, already verified) is done without an email.
 */
@Injectable()
export class AccountEmailSender {
  private readonly logger: Logger;

  constructor(
    private readonly users: UserAccounts,
    private readonly tokens: AccountTokensRepository,
    private readonly mailer: Mailer,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ component: 'account-emails' });
  }

  async send(messageId: string, request: EmailRequest): Promise<void> {
    const user = await this.recipient(request);
    if (!user) {
      this.logger.debug({ messageId, kind: request.kind }, 'account email not needed; nothing sent');
      return;
    }
    const { token, tokenHash } = newAccountToken();
    const expiresAt = new Date(Date.now() + ACCOUNT_TOKEN_TTL_MS[request.kind]);
    await this.tokens.save({ id: messageId, userId: user.id, purpose: request.kind, tokenHash, expiresAt });
    const input = { name: user.name, token, link: this.mailer.link(PAGES[request.kind], { token }) };
    const content = request.kind === 'verify-email' ? verifyEmailMessage(input) : passwordResetMessage(input);
    await this.mailer.send({ to: user.email, ...content });
  }

  private async recipient(request: EmailRequest): Promise<UserProfile | null> {
    if (request.kind === 'password-reset') {
      const user = await this.users.findByEmail(request.email);
      return user?.status === 'active' ? user : null;
    }
    const user = await this.users.getProfile(request.userId).catch((error: unknown) => {
      if (error instanceof UserError && error.code === UserErrorCode.NotFound) {
        return null;
      }
      throw error;
    });
    return user && user.status === 'active' && !user.emailVerified ? user : null;
  }
}
