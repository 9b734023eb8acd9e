import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';

/** A user's TOTP state; the secrets are sealed (SecretBox) before they get here. */
export interface MfaSecrets {
  secretSealed: string | null;
  pendingSecretSealed: string | null;
  lastStep: number | null;
}

interface SecretsRow {
  secret_sealed: string | null;
  pending_secret_sealed: string | null;
  last_step: string | null;
}

/** `user_mfa` and `mfa_recovery_codes`. Writes run in the calling service's transaction. */
@Injectable()
export class MfaRepository {
  constructor(private readonly db: Database) {}

  async find(userId: string): Promise<MfaSecrets | null> {
    const row = await this.db.one<SecretsRow>(
      'SELECT secret_sealed, pending_secret_sealed, last_step FROM user_mfa WHERE user_id = $1',
      [userId],
    );
    return (
      row && {
        secretSealed: row.secret_sealed,
        pendingSecretSealed: row.pending_secret_sealed,
        lastStep: row.last_step === null ? null : Number(row.last_step),
      }
    );
  }

  /** A new pending secret replaces any earlier one that was never confirmed. */
  async savePending(userId: string, pendingSealed: string): Promise<void> {
    await this.db.execute(
      `INSERT INTO user_mfa (user_id, pending_secret_sealed) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET pending_secret_sealed = EXCLUDED.pending_secret_sealed, updated_at = now()`,
      [userId, pendingSealed],
    );
  }

  /**
   * The pending secret becomes the active one, with its first accepted step; only if
   * the pending secret is still the one checked (a concurrent setup replaced nothing).
   */
  async activate(userId: string, pendingSealed: string, step: number): Promise<boolean> {
    const affected = await this.db.execute(
      `UPDATE user_mfa SET secret_sealed = pending_secret_sealed, pending_secret_sealed = NULL, last_step = $3,
              enabled_at = now(), updated_at = now()
        WHERE user_id = $1 AND pending_secret_sealed = $2 AND secret_sealed IS NULL`,
      [userId, pendingSealed, step],
    );
    return affected === 1;
  }

  /**
   * Records `step` as used, only if it is later than the last one: the compare-and-set
   * that makes a code single use even when two requests carry it at once.
   */
  async useStep(userId: string, step: number): Promise<boolean> {
    const affected = await this.db.execute(
      `UPDATE user_mfa SET last_step = $2, updated_at = now()
        WHERE user_id = $1 AND secret_sealed IS NOT NULL AND (last_step IS NULL OR last_step < $2)`,
      [userId, step],
    );
    return affected === 1;
  }

  async remove(userId: string): Promise<void> {
    await this.db.execute('DELETE FROM mfa_recovery_codes WHERE user_id = $1', [userId]);
    await this.db.execute('DELETE FROM user_mfa WHERE user_id = $1', [userId]);
  }

  async replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void> {
    await this.db.execute('DELETE FROM mfa_recovery_codes WHERE user_id = $1', [userId]);
    await this.db.execute(
      `INSERT INTO mfa_recovery_codes (id, user_id, code_hash)
       SELECT id, $1, code_hash FROM unnest($2::uuid[], $3::text[]) AS codes (id, code_hash)`,
      [userId, codeHashes.map(() => uuidv7()), codeHashes],
    );
  }

  /** Spends an unused recovery code; false when it is unknown or already spent. */
  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const affected = await this.db.execute(
      'UPDATE mfa_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
      [userId, codeHash],
    );
    return affected === 1;
  }
}
