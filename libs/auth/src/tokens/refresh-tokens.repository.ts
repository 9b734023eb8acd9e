import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

/** A stored refresh token as rotation sees it, locked until the transaction ends. */
export interface LockedRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  expired: boolean;
  revoked: boolean;
  /** Set once the token was exchanged for its successor: presenting it again is a replay. */
  replacedById: string | null;
}

/** Refresh tokens (stored only as their SHA-256), one family per session. */
@Injectable()
export class RefreshTokensRepository {
  constructor(private readonly db: Database) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.db.query(
      'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [token.id, token.userId, token.familyId, token.tokenHash, token.expiresAt],
    );
  }

  async findOwner(tokenHash: string): Promise<{ userId: string; familyId: string } | null> {
    const row = await this.db.one<{ user_id: string; family_id: string }>(
      'SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    return row && { userId: row.user_id, familyId: row.family_id };
  }

  /**
   * The token's row, locked (`FOR UPDATE`) until the caller's transaction ends, so two
   * concurrent refreshes of one token are decided one after the other.
   */
  async lockByHash(tokenHash: string): Promise<LockedRefreshToken | null> {
    if (!this.db.inTransaction()) {
      throw new Error(
        'refresh tokens: lockByHash must run inside the transaction that decides the rotation (@Transactional())',
      );
    }
    const row = await this.db.one<{
      id: string;
      user_id: string;
      family_id: string;
      expired: boolean;
      revoked: boolean;
      replaced_by_id: string | null;
    }>(
      `SELECT id, user_id, family_id, expires_at <= now() AS expired, revoked_at IS NOT NULL AS revoked, replaced_by_id
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        familyId: row.family_id,
        expired: row.expired,
        revoked: row.revoked,
        replacedById: row.replaced_by_id,
      }
    );
  }

  /** Revokes a rotated token and links it to its successor (what reuse detection reads). */
  async markReplaced(id: string, replacedById: string): Promise<void> {
    await this.db.execute('UPDATE refresh_tokens SET revoked_at = now(), replaced_by_id = $2 WHERE id = $1', [
      id,
      replacedById,
    ]);
  }

  /**
   * The families (sessions) that are not revoked and issued a token in the last
   * `withinSeconds`: a family's newest row is its live token, written when its latest
   * access token was signed, so older families hold no unexpired access token.
   */
  async liveFamilyIds(userId: string, withinSeconds: number): Promise<string[]> {
    const rows = await this.db.query<{ family_id: string }>(
      `SELECT DISTINCT family_id FROM refresh_tokens
        WHERE user_id = $1 AND revoked_at IS NULL AND created_at > now() - make_interval(secs => $2)`,
      [userId, withinSeconds],
    );
    return rows.map((row) => row.family_id);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db.execute('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
      familyId,
    ]);
  }

  /** One statement: every session of the user ends together, or none does. */
  async revokeAllOfUser(userId: string, exceptFamilyId?: string): Promise<void> {
    await this.db.execute(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)`,
      [userId, exceptFamilyId ?? null],
    );
  }

  /** Expired or revoked rows older than `cutoff` serve no purpose (replays of them are just invalid). */
  async purge(cutoff: Date): Promise<number> {
    return this.db.execute(
      'DELETE FROM refresh_tokens WHERE (expires_at < $1) OR (revoked_at IS NOT NULL AND revoked_at < $1)',
      [cutoff],
    );
  }
}
