import { Database } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { NewAccount } from './user-accounts.port';
import type { ActiveUser, UserCredentials, UserProfile } from './user.read-model';
import type { UserRole, UserStatus } from './user-role';

export interface UserListFilter {
  status?: UserStatus;
  email?: string;
}

interface ProfileRow {
  id: string;
  email: string;
  name: string;
  roles: UserRole[];
  status: UserStatus;
  email_verified: boolean;
  mfa_enabled: boolean;
  created_at: Date;
  updated_at: Date;
}

interface CredentialsRow {
  id: string;
  password_hash: string;
  status: UserStatus;
  mfa_enabled: boolean;
}

/** Never the password hash: only the credentials reads select it. */
const PROFILE_COLUMNS =
  'id, email, name, roles, status, email_verified_at IS NOT NULL AS email_verified, mfa_enabled, created_at, updated_at';

/** Users; emails are stored lower-cased. Writes run in the calling service's transaction, if any. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: Database) {}

  async findActiveUser(id: string): Promise<ActiveUser | null> {
    return this.db.one<ActiveUser>(
      `SELECT id, email, roles, email_verified_at IS NOT NULL AS "emailVerified" FROM users WHERE id = $1 AND status = 'active'`,
      [id],
    );
  }

  async findByEmail(email: string): Promise<UserProfile | null> {
    const row = await this.db.one<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM users WHERE email = $1 AND deleted_at IS NULL`,
      [email.toLowerCase()],
    );
    return row && toProfile(row);
  }

  async findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
    const row = await this.db.one<CredentialsRow>(
      'SELECT id, password_hash, status, mfa_enabled FROM users WHERE email = $1 AND deleted_at IS NULL',
      [email.toLowerCase()],
    );
    return row && toCredentials(row);
  }

  async findCredentialsById(id: string): Promise<UserCredentials | null> {
    const row = await this.db.one<CredentialsRow>(
      'SELECT id, password_hash, status, mfa_enabled FROM users WHERE id = $1',
      [id],
    );
    return row && toCredentials(row);
  }

  /** Any user but a deleted one. */
  async findProfile(id: string): Promise<UserProfile | null> {
    const row = await this.db.one<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1 AND status <> 'deleted'`,
      [id],
    );
    return row && toProfile(row);
  }

  /**
   * `null` when the email is taken: the unique index on live users' emails decides, not a
   * prior check, and a conflict writes nothing (so a surrounding transaction stays usable).
   */
  async create(user: NewAccount): Promise<UserProfile | null> {
    const row = await this.db.one<ProfileRow>(
      `INSERT INTO users (id, email, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (email) WHERE deleted_at IS NULL DO NOTHING
       RETURNING ${PROFILE_COLUMNS}`,
      [user.id, user.email.toLowerCase(), user.name, user.passwordHash, user.roles],
    );
    return row && toProfile(row);
  }

  /** Changes what is given (an absent field keeps its value); `null` for a missing or deleted user. */
  async update(
    id: string,
    changes: { name?: string; roles?: UserRole[]; status?: UserStatus },
  ): Promise<UserProfile | null> {
    const row = await this.db.one<ProfileRow>(
      `UPDATE users SET name = COALESCE($2, name), roles = COALESCE($3::text[], roles), status = COALESCE($4, status), updated_at = now()
        WHERE id = $1 AND status <> 'deleted'
        RETURNING ${PROFILE_COLUMNS}`,
      [id, changes.name ?? null, changes.roles ?? null, changes.status ?? null],
    );
    return row && toProfile(row);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.execute('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash]);
  }

  /** Marks the email verified (the first time only); `false` for a missing or deleted user. */
  async markEmailVerified(id: string): Promise<boolean> {
    const affected = await this.db.execute(
      `UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now()
        WHERE id = $1 AND status <> 'deleted'`,
      [id],
    );
    return affected > 0;
  }

  /** Joins the caller's transaction (auth stores the secrets with it). */
  async setMfaEnabled(id: string, enabled: boolean): Promise<void> {
    await this.db.execute('UPDATE users SET mfa_enabled = $2, updated_at = now() WHERE id = $1', [id, enabled]);
  }

  /** Soft delete: the row stays (orders reference it); the email becomes free for reuse. */
  async softDelete(id: string): Promise<boolean> {
    const affected = await this.db.execute(
      `UPDATE users SET status = 'deleted', deleted_at = now(), updated_at = now() WHERE id = $1 AND status <> 'deleted'`,
      [id],
    );
    return affected > 0;
  }

  /** Keyset page newest first; fetches `limit + 1` rows to know whether there is more. */
  async list(filter: UserListFilter, limit: number, after?: { createdAt: string; id: string }): Promise<UserProfile[]> {
    const rows = await this.db.query<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM users
        WHERE status <> 'deleted' AND ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR email = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [
        filter.status ?? null,
        filter.email?.toLowerCase() ?? null,
        after?.createdAt ?? null,
        after?.id ?? null,
        limit + 1,
      ],
    );
    return rows.map(toProfile);
  }
}

function toProfile(row: ProfileRow): UserProfile {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    status: row.status,
    emailVerified: row.email_verified,
    mfaEnabled: row.mfa_enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toCredentials(row: CredentialsRow): UserCredentials {
  return { id: row.id, passwordHash: row.password_hash, status: row.status, mfaEnabled: row.mfa_enabled };
}
