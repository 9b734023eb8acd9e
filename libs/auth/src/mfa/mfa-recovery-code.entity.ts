import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One single-use recovery code, stored only as its SHA-256. */
@Entity('mfa_recovery_codes')
@Index('mfa_recovery_codes_user_hash_key', ['userId', 'codeHash'], { unique: true })
export class MfaRecoveryCodeEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('char', { name: 'code_hash', length: 64 })
  codeHash: string;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;
}
