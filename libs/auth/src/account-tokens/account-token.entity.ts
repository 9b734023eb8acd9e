import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A token mailed to a user (verify the email, reset the password): single use, stored only as its SHA-256. */
@Entity('account_tokens')
@Index('account_tokens_hash_key', ['tokenHash'], { unique: true })
@Index('account_tokens_user_idx', ['userId'])
@Check('account_tokens_purpose_check', `purpose IN ('verify-email', 'password-reset')`)
export class AccountTokenEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  purpose: string;

  @Column('char', { name: 'token_hash', length: 64 })
  tokenHash: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt: Date | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
