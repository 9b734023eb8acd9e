import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

export type RotationOutcome =
  | { kind: 'rotated'; userId: string; familyId: string }
  | { kind: 'reused'; userId: string }
  | { kind: 'invalid' };

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.dataSource.getRepository(RefreshTokenEntity).insert(token);
  }

  async findOwner(tokenHash: string): Promise<{ userId: string; familyId: string } | null> {
    const row = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .findOne({ select: { userId: true, familyId: true }, where: { tokenHash } });
    return row;
  }

  /**
   * Exchanges a refresh token for `next`, in one transaction with the old row locked,
   * so two concurrent refreshes of one token cannot both succeed. A token that was
   * already rotated is a replay: the whole family is revoked, the newest token too.
   */
  async rotate(tokenHash: string, next: Omit<NewRefreshToken, 'userId' | 'familyId'>): Promise<RotationOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<
        Array<{ id: string; user_id: string; family_id: string; expired: boolean; revoked_at: Date | null; replaced_by_id: string | null }>
      >(
        `SELECT id, user_id, family_id, expires_at <= now() AS expired, revoked_at, replaced_by_id
           FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [tokenHash],
      );
      const row = rows[0];
      if (!row) {
        return { kind: 'invalid' };
      }
      if (row.replaced_by_id !== null) {
        await manager.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
          row.family_id,
        ]);
        return { kind: 'reused', userId: row.user_id };
      }
      if (row.revoked_at !== null || row.expired) {
        return { kind: 'invalid' };
      }
      await manager.insert(RefreshTokenEntity, { ...next, userId: row.user_id, familyId: row.family_id });
      await manager.query('UPDATE refresh_tokens SET revoked_at = now(), replaced_by_id = $2 WHERE id = $1', [row.id, next.id]);
      return { kind: 'rotated', userId: row.user_id, familyId: row.family_id };
    });
  }

  /**
   * The families (sessions) that are not revoked and issued a token in the last
   * `withinSeconds`: a family's newest row is its live token, written when its latest
   * access token was signed, so older families hold no unexpired access token.
   */
  async liveFamilyIds(userId: string, withinSeconds: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ family_id: string }>>(
      `SELECT DISTINCT family_id FROM refresh_tokens
        WHERE user_id = $1 AND revoked_at IS NULL AND created_at > now() - make_interval(secs => $2)`,
      [userId, withinSeconds],
    );
    return rows.map((row) => row.family_id);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.dataSource.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
      familyId,
    ]);
  }

  async revokeAllOfUser(userId: string, exceptFamilyId?: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)`,
      [userId, exceptFamilyId ?? null],
    );
  }

  /** Expired or revoked rows older than `cutoff` serve no purpose (replays of them are just invalid). */
  async purge(cutoff: Date): Promise<number> {
    const result = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM refresh_tokens WHERE (expires_at < $1) OR (revoked_at IS NOT NULL AND revoked_at < $1)`,
      [cutoff],
    );
    return result[1] ?? 0;
  }
}
