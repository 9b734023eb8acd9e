/**
 * Port: the sessions of a user that may still hold an unexpired access token. The auth
 * lib owns sessions and binds this token; the users lib folds it into the cached
 * active-user lookup, so authenticating a request stays one cached read.
 */
export abstract class UserSessions {
  abstract liveSessionIds(userId: string): Promise<string[]>;
}
