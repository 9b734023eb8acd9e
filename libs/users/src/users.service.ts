import { CacheAside, decodeCursor, ISO_TIME, Page, toPage } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { usersConfig } from './users.config';
import { UserError, UserErrorCode } from './users.errors';
import { UserListFilter, UsersRepository } from './users.repository';
import { NewAccount, UserAccounts } from './user-accounts.port';
import { UserSessions } from './user-sessions.port';
import type { ActiveUser, SessionCheck, UserCredentials, UserProfile } from './user.read-model';
import type { UserRole, UserStatus } from './user-role';

/** `v2`: the entry now carries the user's live sessions (an older entry has another shape). */
export function activeUserCacheKey(id: string): string {
  return `users:active:v2:${id}`;
}

/** The profile `GET /v1/users/me` answers with; dropped by every write to the user. */
export function profileCacheKey(id: string): string {
  return `users:profile:${id}`;
}

/** What authenticating one request needs to know, cached as one entry per user. */
interface ActiveUserEntry {
  user: ActiveUser | null;
  sessionIds: string[];
  /** When the load started (ms): a session begun later may be missing from `sessionIds`. */
  loadedAt: number;
}

const LOCAL_TTL_MS = 5_000;
/** Covers clock skew between hosts and the whole-second `iat` of a token. */
const NEW_SESSION_MARGIN_MS = 10_000;

/** Users' rules and caches; also the `UserAccounts` port other features use (UsersModule binds it). */
@Injectable()
export class UsersService implements UserAccounts {
  constructor(
    private readonly users: UsersRepository,
    private readonly cache: CacheAside,
    @Inject(usersConfig.KEY) private readonly config: ConfigType<typeof usersConfig>,
    private readonly sessions: UserSessions,
  ) {}

  create(account: NewAccount): Promise<UserProfile | null> {
    return this.users.create(account);
  }

  findByEmail(email: string): Promise<UserProfile | null> {
    return this.users.findByEmail(email);
  }

  findCredentialsByEmail(email: string): Promise<UserCredentials | null> {
    return this.users.findCredentialsByEmail(email);
  }

  findCredentialsById(id: string): Promise<UserCredentials | null> {
    return this.users.findCredentialsById(id);
  }

  findActiveUserUncached(id: string): Promise<ActiveUser | null> {
    return this.users.findActiveUser(id);
  }

  /**
   * The check behind every authenticated request: is the user active and is the
   * token's session still live? One cached lookup (USER_CACHE_TTL_MS, and up to 5 s in
   * process memory, which saves a Redis round trip per request) holding the user and
   * their live sessions; dropped in every process at once when an admin changes the
   * user or a session ends (sessionsEnded). A session that is not in the entry but
   * may have started after it was loaded (a login served by another process) is read
   * again rather than refused.
   */
  async checkSession(userId: string, sessionId: string, issuedAtMs: number): Promise<SessionCheck> {
    let entry = await this.activeUserEntry(userId);
    if (entry.user && !entry.sessionIds.includes(sessionId) && issuedAtMs > entry.loadedAt - NEW_SESSION_MARGIN_MS) {
      await this.cache.invalidate(activeUserCacheKey(userId));
      entry = await this.activeUserEntry(userId);
    }
    if (!entry.user) {
      return { status: 'user-inactive' };
    }
    return entry.sessionIds.includes(sessionId) ? { status: 'active', user: entry.user } : { status: 'session-ended' };
  }

  /** Call after ending sessions of the user: their access tokens stop working at once, everywhere. */
  async sessionsEnded(userId: string): Promise<void> {
    await this.cache.invalidate(activeUserCacheKey(userId));
  }

  private async activeUserEntry(id: string): Promise<ActiveUserEntry> {
    const { value } = await this.cache.getOrLoad(activeUserCacheKey(id), () => this.loadActiveUser(id), {
      ttlMs: this.config.activeUserCacheTtlMs,
      localTtlMs: Math.min(this.config.activeUserCacheTtlMs, LOCAL_TTL_MS),
      name: 'users',
    });
    return value;
  }

  private async loadActiveUser(id: string): Promise<ActiveUserEntry> {
    const loadedAt = Date.now();
    const [user, sessionIds] = await Promise.all([this.users.findActiveUser(id), this.sessions.liveSessionIds(id)]);
    return { user, sessionIds: user ? sessionIds : [], loadedAt };
  }

  /**
   * Cached like the active-user entry (Redis, and up to 5 s in process memory), so
   * `GET /v1/users/me` costs no database read; every write to the user below drops it
   * in every process before it answers.
   */
  async getProfile(id: string): Promise<UserProfile> {
    const { value: profile } = await this.cache.getOrLoad(profileCacheKey(id), () => this.users.findProfile(id), {
      ttlMs: this.config.activeUserCacheTtlMs,
      localTtlMs: Math.min(this.config.activeUserCacheTtlMs, LOCAL_TTL_MS),
      name: 'users',
    });
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
    await this.cache.invalidate(profileCacheKey(id));
    return profile;
  }

  /** A new password: the stored hash and `updatedAt` change, so the cached profile goes. */
  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.setPasswordHash(id, passwordHash);
    await this.cache.invalidate(profileCacheKey(id));
  }

  /** The owner proved the address: the profile and the per-request user entry both change. */
  async markEmailVerified(id: string): Promise<void> {
    await this.users.markEmailVerified(id);
    await this.cache.invalidate(activeUserCacheKey(id), profileCacheKey(id));
  }

  setMfaEnabled(id: string, enabled: boolean): Promise<void> {
    return this.users.setMfaEnabled(id, enabled);
  }

  async profileChanged(id: string): Promise<void> {
    await this.cache.invalidate(profileCacheKey(id));
  }

  async list(filter: UserListFilter, limit: number, cursor?: string): Promise<Page<UserProfile>> {
    const after = decodeCursor(cursor, ISO_TIME);
    const rows = await this.users.list(filter, limit, after && { createdAt: after.key, id: after.id });
    return toPage(
      rows,
      limit,
      (row) => ({ key: row.createdAt, id: row.id }),
      (row) => row,
    );
  }

  async adminUpdate(
    actorId: string,
    id: string,
    changes: { roles?: UserRole[]; status?: UserStatus },
  ): Promise<UserProfile> {
    if (actorId === id && (changes.status === 'suspended' || (changes.roles && !changes.roles.includes('admin')))) {
      throw new UserError(
        UserErrorCode.CannotModifySelf,
        'Admins cannot suspend themselves or drop their own admin role.',
      );
    }
    const profile = await this.users.update(id, changes);
    if (!profile) {
      throw new UserError(UserErrorCode.NotFound, 'No such user.');
    }
    await this.cache.invalidate(activeUserCacheKey(id), profileCacheKey(id));
    return profile;
  }

  async remove(actorId: string, id: string): Promise<void> {
    if (actorId === id) {
      throw new UserError(UserErrorCode.CannotModifySelf, 'Admins cannot delete themselves.');
    }
    if (!(await this.users.softDelete(id))) {
      throw new UserError(UserErrorCode.NotFound, 'No such user.');
    }
    await this.cache.invalidate(activeUserCacheKey(id), profileCacheKey(id));
  }
}
