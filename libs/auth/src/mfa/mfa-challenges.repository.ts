import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';

/** `mfa_challenges`: logins waiting for their second factor, by the mfaToken's hash. */
@Injectable()
export class MfaChallengesRepository {
  constructor(private readonly db: Database) {}

  /** Also clears the user's expired challenges, so the table holds only live ones and used ones of the last minutes. */
  /** `expires_at` is counted on the database's clock, which `findLive` and `consume` compare with. */
  async insert(challenge: { id: string; userId: string; tokenHash: string; ttlMs: number }): Promise<void> {
    await this.db.execute(`DELETE FROM mfa_challenges WHERE user_id = $1 AND expires_at < now()`, [challenge.userId]);
    await this.db.execute(
      `INSERT INTO mfa_challenges (id, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`,
      [challenge.id, challenge.userId, challenge.tokenHash, challenge.ttlMs],
    );
  }

  /** The user of a challenge that is neither used nor expired. */
  async findLive(tokenHash: string): Promise<string | null> {
    const row = await this.db.one<{ user_id: string }>(
      'SELECT user_id FROM mfa_challenges WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()',
      [tokenHash],
    );
    return row?.user_id ?? null;
  }

  /** Uses the challenge up; false when another request already did, or it expired meanwhile. */
  async consume(tokenHash: string): Promise<boolean> {
    const affected = await this.db.execute(
      'UPDATE mfa_challenges SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()',
      [tokenHash],
    );
    return affected === 1;
  }
}
