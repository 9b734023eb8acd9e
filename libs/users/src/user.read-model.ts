import type { UserRole, UserStatus } from './user-role';

/** A user as every layer above the repository sees it: never with the password hash. */
export interface UserProfile {
  id: string;
  email: string;
  name: string;
  roles: UserRole[];
  status: UserStatus;
  /** Whether the owner followed the link of a verification email. */
  emailVerified: boolean;
  /** Whether login asks for a second factor (TOTP). */
  mfaEnabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What authentication needs on every request; JSON-safe so it can be cached. */
export interface ActiveUser {
  id: string;
  email: string;
  roles: UserRole[];
  /** Read with the user on every request, so EMAIL_VERIFICATION_REQUIRED costs no extra lookup. */
  emailVerified: boolean;
}

/** Only the login path sees the hash, and only to verify it. */
export interface UserCredentials {
  id: string;
  passwordHash: string;
  status: UserStatus;
  /** Read with the credentials, never from a cache: login decides on it. */
  mfaEnabled: boolean;
}

/** Whether a request's access token may still be used. */
export type SessionCheck =
  { status: 'active'; user: ActiveUser } | { status: 'user-inactive' } | { status: 'session-ended' };
