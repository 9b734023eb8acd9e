import type { ActiveUser, SessionCheck, UserCredentials, UserProfile } from './user.read-model';
import type { UserRole } from './user-role';

export interface NewAccount {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: UserRole[];
}

/**
 * Port: what other features (auth) may do with user accounts. `UsersModule` binds it to
 * `UsersService`, so callers get the users lib's caching and invalidation rules and never
 * its repository or tables. Writes join the caller's transaction when one is open.
 */
export abstract class UserAccounts {
  /** `null` when the email is already taken (nothing is written then). */
  abstract create(account: NewAccount): Promise<UserProfile | null>;

  abstract findByEmail(email: string): Promise<UserProfile | null>;

  /** Only the login and password-change paths see the hash, and only to verify it. */
  abstract findCredentialsByEmail(email: string): Promise<UserCredentials | null>;

  abstract findCredentialsById(id: string): Promise<UserCredentials | null>;

  /** Read from the database, never from a cache: a suspended user is refused at once. */
  abstract findActiveUserUncached(id: string): Promise<ActiveUser | null>;

  /** The (cached) profile; throws USER_NOT_FOUND for a missing or deleted user. */
  abstract getProfile(id: string): Promise<UserProfile>;

  /** Stores a new password hash and drops the cached profile (its `updatedAt` changes). */
  abstract setPasswordHash(id: string, passwordHash: string): Promise<void>;

  /** Sets `emailVerified` (joins the caller's transaction) and drops the cached user. */
  abstract markEmailVerified(id: string): Promise<void>;
  /**
   * Turns two-factor login on or off, in the caller's transaction (with the secrets it
   * stores). Call `profileChanged` once that transaction has committed.
   */
  abstract setMfaEnabled(id: string, enabled: boolean): Promise<void>;

  /** Drops the cached profile in every process, after a committed change to the user. */
  abstract profileChanged(id: string): Promise<void>;

  /** The check behind every authenticated request: the user is active and the session live. */
  abstract checkSession(userId: string, sessionId: string, issuedAtMs: number): Promise<SessionCheck>;

  /** Call after ending sessions of the user: their access tokens stop working at once, everywhere. */
  abstract sessionsEnded(userId: string): Promise<void>;
}
