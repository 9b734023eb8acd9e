import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';

export type AccountTokenPurpose = 'verify-email' | 'password-reset';

/** Tokens mailed to users, stored only as their SHA-256 (account-token.ts makes them). */
@Injectable()
export class AccountTokensRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores the token of one email. `id` is the email's message id: a redelivery (the
   * SMTP server failed, the message is retried) replaces the hash, so only the token in
   * the email that finally left can be used, and no retry leaves another one behind.
   */
  async save(token: { id: string; userId: string; purpose: AccountTokenPurpose; tokenHash: string; expiresAt: Date }) {
    await this.db.query(
      `INSERT INTO account_tokens (id, user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at`,
      [token.id, token.userId, token.purpose, token.tokenHash, token.expiresAt],
    );
  }

  /** The owner of an unused, unexpired token, without spending it. */
  async findUsable(purpose: AccountTokenPurpose, tokenHash: string): Promise<string | null> {
    const row = await this.db.one<{ user_id: string }>(
      `SELECT user_id FROM account_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [tokenHash, purpose],
    );
    return row?.user_id ?? null;
  }

  /**
   * Spends a token: one statement marks it used if it is unused and unexpired, so two
   * concurrent uses cannot both succeed. The owner's id, or `null` (unknown, used,
   * expired, or of the other purpose).
   */
  async consume(purpose: AccountTokenPurpose, tokenHash: string): Promise<string | null> {
    const row = await this.db.one<{ user_id: string }>(
      `UPDATE account_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [tokenHash, purpose],
    );
    return row?.user_id ?? null;
  }

  /** After a password reset: the user's other reset tokens are spent too. */
  async spendAll(userId: string, purpose: AccountTokenPurpose): Promise<void> {
    await this.db.execute(
      'UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL',
      [userId, purpose],
    );
  }

  /** Used or expired tokens older than `before`; the number removed. */
  async purge(before: Date): Promise<number> {
    return this.db.execute('DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1', [before]);
  }
}
