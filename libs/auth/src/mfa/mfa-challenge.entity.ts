import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A login waiting for its second factor: the `mfaToken`'s SHA-256, 5 minutes, single use. */
@Entity('mfa_challenges')
@Index('mfa_challenges_hash_key', ['tokenHash'], { unique: true })
@Index('mfa_challenges_user_idx', ['userId'])
export class MfaChallengeEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('char', { name: 'token_hash', length: 64 })
  tokenHash: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;
}
