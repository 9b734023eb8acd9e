import { CacheAside, decodeCursor, ISO_TIME, Page, toPage } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { usersConfig } from './users.config';
import { UserError, UserErrorCode } from './users.errors';
import { UserListFilter, UserRepository } from './users.repository';
import type { ActiveUser, UserProfile } from './user.read-model';
import type { UserRole, UserStatus } from './user-role';

export function activeUserCacheKey(id: string): string {
  return `users:active:${id}`;
}

const LOCAL_TTL_MS = 5_000;

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly cache: CacheAside,
    @Inject(usersConfig.KEY) private readonly config: ConfigType<typeof usersConfig>,
  ) {}

  /**
   * The check behind every authenticated request, cached briefly (USER_CACHE_TTL_MS)
   * and dropped at once when an admin changes the user's status or roles. It is also
   * kept in process memory for up to 5 s, which saves a Redis round trip on every
   * request; another cluster worker may then see a suspension up to 5 s late, well
   * inside the contract's 30 s.
   */
  async findActiveUser(id: string): Promise<ActiveUser | null> {
    const { value } = await this.cache.getOrLoad(activeUserCacheKey(id), () => this.users.findActiveUser(id), {
      ttlMs: this.config.activeUserCacheTtlMs,
      localTtlMs: Math.min(this.config.activeUserCacheTtlMs, LOCAL_TTL_MS),
      name: 'users',
    });
    return value;
  }

  async getProfile(id: string): Promise<UserProfile> {
    const profile = await this.users.findProfile(id);
    if (!profile) {
      throw new UserError(UserErrorCode.NotFound, 'No such user.');
    }
    return profile;
  }

  async updateOwnProfile(id: string, changes: { name?: string }): Promise<UserProfile> {
    const profile = await this.users.update(id, { name: changes.name });
    if (!profile) {
      throw new UserError(UserErrorCode.NotFound, 'No such user.');
    }
    return profile;
  }

  async list(filter: UserListFilter, limit: number, cursor?: string): Promise<Page<UserProfile>> {
    const after = decodeCursor(cursor, ISO_TIME);
    const rows = await this.users.list(filter, limit, after && { createdAt: after.key, id: after.id });
    return toPage(rows, limit, (row) => ({ key: row.createdAt, id: row.id }), (row) => row);
  }

  async adminUpdate(actorId: string, id: string, changes: { roles?: UserRole[]; status?: UserStatus }): Promise<UserProfile> {
    if (actorId === id && (changes.status === 'suspended' || (changes.roles && !changes.roles.includes('admin')))) {
      throw new UserError(UserErrorCode.CannotModifySelf, 'Admins cannot suspend themselves or drop their own admin role.');
    }
    const profile = await this.users.update(id, changes);
    if (!profile) {
      throw new UserError(UserErrorCode.NotFound, 'No such user.');
    }
    await this.cache.invalidate(activeUserCacheKey(id));
    return profile;
  }

  async remove(actorId: string, id: string): Promise<void> {
    if (actorId === id) {
      throw new UserError(UserErrorCode.CannotModifySelf, 'Admins cannot delete themselves.');
    }
    if (!(await this.users.softDelete(id))) {
      throw new UserError(UserErrorCode.NotFound, 'No such user.');
    }
    await this.cache.invalidate(activeUserCacheKey(id));
  }
}
