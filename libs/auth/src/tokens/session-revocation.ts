import { UserAccounts } from '@app/users';
import { Injectable } from '@nestjs/common';
import { RefreshTokensRepository } from './refresh-tokens.repository';

/**
 * Ends sessions: revokes their refresh tokens, then drops the user's cached session
 * list in every process, so the sessions' access tokens are refused at once
 * (AUTH_SESSION_REVOKED) rather than when they expire. Every path that ends a session
 * (logout, logout-all, refresh-token reuse, a password change or reset, two-factor turned
 * on or off) goes through here.
 */
@Injectable()
export class SessionRevocation {
  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UserAccounts,
  ) {}

  async endSession(userId: string, sessionId: string): Promise<void> {
    await this.refreshTokens.revokeFamily(sessionId);
    await this.users.sessionsEnded(userId);
  }

  async endAllSessions(userId: string, exceptSessionId?: string): Promise<void> {
    await this.refreshTokens.revokeAllOfUser(userId, exceptSessionId);
    await this.users.sessionsEnded(userId);
  }

  /** For sessions already revoked in the database (a refresh-token family on reuse). */
  async sessionsRevoked(userId: string): Promise<void> {
    await this.users.sessionsEnded(userId);
  }
}
