import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's TOTP secrets, sealed with MFA_ENCRYPTION_KEY (secret-box.ts); one row per user. */
@Entity('user_mfa')
export class UserMfaEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId: string;

  /** The active secret, once enabled. */
  @Column('text', { name: 'secret_sealed', nullable: true })
  secretSealed: string | null;

  /** Set up but not yet confirmed with a code. */
  @Column('text', { name: 'pending_secret_sealed', nullable: true })
  pendingSecretSealed: string | null;

  /** The latest time step a code was accepted for: that step and earlier ones are refused. */
  @Column('bigint', { name: 'last_step', nullable: true })
  lastStep: string | null;

  @Column('timestamptz', { name: 'enabled_at', nullable: true })
  enabledAt: Date | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
