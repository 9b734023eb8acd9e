import { AuthenticatedUser } from '@app/platform';
import { UserAccounts } from '@app/users';
import { Injectable } from '@nestjs/common';
import { hashAccountToken } from './account-tokens/account-token';
import { AccountTokensRepository } from './account-tokens/account-tokens.repository';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AccountEmails } from './email/account-emails';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { CredentialFailureThrottle, EmailRequestScope } from './throttling/credential-failure-throttle';
import { SessionRevocation } from './tokens/session-revocation';

const TOKEN_INVALID = 'This link or code is unknown, expired or already used; ask for a new one.';

/** Email verification and password reset: the requests that mail a token, and the routes that spend it. */
@Injectable()
export class AccountRecoveryService {
  constructor(
    private readonly users: UserAccounts,
    private readonly tokens: AccountTokensRepository,
    private readonly emails: AccountEmails,
    private readonly throttle: CredentialFailureThrottle,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionRevocation,
  ) {}

  /** Spends a verification token (single use, 24 h) and marks the owner's email verified. */
  async verifyEmail(token: string, clientIp: string): Promise<void> {
    const userId = await this.checkToken(clientIp, () => this.tokens.consume('verify-email', hashAccountToken(token)));
    await this.users.markEmailVerified(userId);
  }

  /** A new verification email, throttled per account and client address; nothing for a verified address. */
  async resendVerification(caller: AuthenticatedUser, clientIp: string): Promise<void> {
    await this.countOrThrow('verification-email', caller.id, clientIp);
    if (!(await this.users.getProfile(caller.id)).emailVerified) {
      await this.emails.requestVerification(caller.id);
    }
  }

  /**
   * The same work, and so the same answer in the same time, for any address: the
   * throttle's count (keyed by the address, existing or not) and one outbox insert. The
   * lookup of the account happens in the consumer, after the answer; an unknown address
   * ends there without an email.
   */
  async requestPasswordReset(email: string, clientIp: string): Promise<void> {
    await this.countOrThrow('password-reset', email.toLowerCase(), clientIp);
    await this.emails.requestPasswordReset(email);
  }

  /**
   * Spends a reset token (single use, 30 min), sets the new password (the registration
   * rule) and ends every session of the user: refresh tokens revoked, access tokens
   * refused at once. The password is checked before the token is spent, so a weak one
   * leaves the token usable.
   */
  async confirmPasswordReset(token: string, newPassword: string, clientIp: string): Promise<void> {
    const tokenHash = hashAccountToken(token);
    const owner = await this.checkToken(clientIp, () => this.tokens.findUsable('password-reset', tokenHash));
    await this.policy.assertStrong(newPassword, await this.users.getProfile(owner), 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    const userId = await this.tokens.consume('password-reset', tokenHash);
    if (!userId) {
      throw new AuthError(AuthErrorCode.TokenInvalidOrUsed, TOKEN_INVALID);
    }
    await this.users.setPasswordHash(userId, passwordHash);
    await this.tokens.spendAll(userId, 'password-reset');
    await this.sessions.endAllSessions(userId);
  }

  /**
   * Looks a mailed token up under the failure throttle: an unknown, used or expired
   * token counts against the client address (its account is unknown then), like a
   * wrong password; a valid one clears the count. Tokens are 256 random bits, so this
   * only stops an address from hammering the table.
   */
  private async checkToken(clientIp: string, lookUp: () => Promise<string | null>): Promise<string> {
    let owner: string | null = null;
    const outcome = await this.throttle.attempt('account-token', clientIp, clientIp, async () => {
      owner = await lookUp();
      return owner !== null;
    });
    if (outcome.kind === 'blocked') {
      throw new AuthError(
        AuthErrorCode.TooManyAttempts,
        'Too many invalid tokens from this address; try again later.',
        {
          retryAfterSeconds: outcome.retryAfterSeconds,
        },
      );
    }
    if (owner === null) {
      throw new AuthError(AuthErrorCode.TokenInvalidOrUsed, TOKEN_INVALID);
    }
    return owner;
  }

  private async countOrThrow(scope: EmailRequestScope, account: string, clientIp: string): Promise<void> {
    const outcome = await this.throttle.countEmailRequest(scope, account, clientIp);
    if (outcome.kind === 'blocked') {
      throw new AuthError(AuthErrorCode.TooManyAttempts, 'Too many emails asked for this account; try again later.', {
        retryAfterSeconds: outcome.retryAfterSeconds,
      });
    }
  }
}
