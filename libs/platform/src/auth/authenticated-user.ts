/** The caller of an authenticated request, as guards attach it to the request. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  roles: string[];
  /** The session (refresh-token family) the access token belongs to. */
  sessionId?: string;
  /** Whether the user verified their email (routes marked @VerifiedEmailRoute() may require it). */
  emailVerified?: boolean;
}

export function isAdmin(user: AuthenticatedUser): boolean {
  return user.roles.includes('admin');
}
