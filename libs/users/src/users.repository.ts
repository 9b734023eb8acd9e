import { isUniqueViolation } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { UserEntity } from './user.entity';
import type { ActiveUser, UserCredentials, UserProfile } from './user.read-model';
import type { UserRole, UserStatus } from './user-role';

const PROFILE_COLUMNS = ['id', 'email', 'name', 'roles', 'status', 'createdAt', 'updatedAt'] as const;
const PROFILE_SELECT = { id: true, email: true, name: true, roles: true, status: true, createdAt: true, updatedAt: true };
const CREDENTIALS_SELECT = { id: true, passwordHash: true, status: true };

export interface UserListFilter {
  status?: UserStatus;
  email?: string;
}

/** The only code that speaks TypeORM for users; the hash stays inside it. */
@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  async findActiveUser(id: string): Promise<ActiveUser | null> {
    const row = await this.users.findOne({ select: { id: true, email: true, roles: true }, where: { id, status: 'active' } });
    return row ? { id: row.id, email: row.email, roles: row.roles } : null;
  }

  async findByEmail(email: string): Promise<UserProfile | null> {
    const row = await this.users.findOne({ select: PROFILE_SELECT, where: { email: email.toLowerCase(), deletedAt: IsNull() } });
    return row ? toProfile(row) : null;
  }

  async findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
    const row = await this.users.findOne({
      select: CREDENTIALS_SELECT,
      where: { email: email.toLowerCase(), deletedAt: IsNull() },
    });
    return row ? { id: row.id, passwordHash: row.passwordHash, status: row.status } : null;
  }

  async findCredentialsById(id: string): Promise<UserCredentials | null> {
    const row = await this.users.findOne({ select: CREDENTIALS_SELECT, where: { id } });
    return row ? { id: row.id, passwordHash: row.passwordHash, status: row.status } : null;
  }

  /** Any user but a deleted one. */
  async findProfile(id: string): Promise<UserProfile | null> {
    const row = await this.users
      .createQueryBuilder('u')
      .select(PROFILE_COLUMNS.map((column) => `u.${column}`))
      .where('u.id = :id AND u.status <> :deleted', { id, deleted: 'deleted' })
      .getOne();
    return row ? toProfile(row) : null;
  }

  /** Returns null when the email is taken (the unique index decides, not a prior check). */
  async create(user: { id: string; email: string; name: string; passwordHash: string; roles: UserRole[] }): Promise<UserProfile | null> {
    try {
      await this.users.insert({ ...user, email: user.email.toLowerCase() });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
    return this.findProfile(user.id);
  }

  async update(id: string, changes: { name?: string; roles?: UserRole[]; status?: UserStatus }): Promise<UserProfile | null> {
    await this.users
      .createQueryBuilder()
      .update(UserEntity)
      .set({ ...changes, updatedAt: () => 'now()' })
      .where('id = :id AND status <> :deleted', { id, deleted: 'deleted' })
      .execute();
    return this.findProfile(id);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash, updatedAt: () => 'now()' });
  }

  /** Soft delete: the row stays (orders reference it); the email becomes free for reuse. */
  async softDelete(id: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(UserEntity)
      .set({ status: 'deleted', deletedAt: () => 'now()', updatedAt: () => 'now()' })
      .where('id = :id AND status <> :deleted', { id, deleted: 'deleted' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Keyset page newest first; fetches `limit + 1` rows to know whether there is more. */
  async list(filter: UserListFilter, limit: number, after?: { createdAt: string; id: string }): Promise<UserProfile[]> {
    const query = this.users
      .createQueryBuilder('u')
      .select(PROFILE_COLUMNS.map((column) => `u.${column}`))
      .where('u.status <> :deleted', { deleted: 'deleted' })
      .orderBy('u.createdAt', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(limit + 1);
    if (filter.status) {
      query.andWhere('u.status = :status', { status: filter.status });
    }
    if (filter.email) {
      query.andWhere('u.email = :email', { email: filter.email.toLowerCase() });
    }
    if (after) {
      query.andWhere('(u.createdAt, u.id) < (:createdAt, :id)', after);
    }
    return (await query.getMany()).map(toProfile);
  }

  async countAdmins(): Promise<number> {
    return this.users
      .createQueryBuilder('u')
      .where(`'admin' = ANY(u.roles) AND u.status = 'active'`)
      .getCount();
  }
}

function toProfile(row: Pick<UserEntity, (typeof PROFILE_COLUMNS)[number]>): UserProfile {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
