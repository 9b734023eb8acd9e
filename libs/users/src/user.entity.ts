import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { UserRole, UserStatus } from './user-role';

@Entity('users')
@Index('users_email_key', ['email'], { unique: true, where: 'deleted_at IS NULL' })
@Index('users_created_idx', ['createdAt', 'id'])
@Check('users_status_check', `status IN ('active', 'suspended', 'deleted')`)
export class UserEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Stored lower-cased: unique case-insensitively among users not deleted. */
  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text', { array: true, default: () => `'{customer}'` })
  roles: UserRole[];

  @Column('text', { default: 'active' })
  status: UserStatus;

  /** Whether login asks for a TOTP code; the secrets are auth's (`user_mfa`). */
  @Column('boolean', { name: 'mfa_enabled', default: false })
  mfaEnabled: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;

  /** When the owner followed the verification link; null until then. */
  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt: Date | null;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;
}
