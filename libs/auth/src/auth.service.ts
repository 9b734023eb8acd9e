import { AuthenticatedUser, Transactional } from '@app/platform';
import { NewAccount, UserAccounts, UserError, UserErrorCode, UserProfile } from '@app/users';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AccountEmails } from './email/account-emails';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { MfaChallenge, MfaChallenges } from './mfa/mfa-challenges';
import { CredentialFailureThrottle } from './throttling/credential-failure-throttle';
import { throwIfBlocked } from './throttling/throw-if-blocked';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import { SessionRevocation } from './tokens/session-revocation';
import { hashRefreshToken, IssuedRefreshToken, TokenIssuer } from './tokens/token-issuer';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Session extends TokenPair {
  user: UserProfile;
}

type RotationOutcome = { kind: 'rotated'; familyId: string } | { kind: 'reused'; userId: string } | { kind: 'invalid' };

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserAccounts,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly failures: CredentialFailureThrottle,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionRevocation,
    private readonly emails: AccountEmails,
    private readonly mfaChallenges: MfaChallenges,
  ) {}

  async register(input: { email: string; password: string; name: string }): Promise<Session> {
    await this.policy.assertStrong(input.password, input, 'password');
    // Hashed before the transaction opens: argon2 takes a while and holds no row.
    const passwordHash = await this.hasher.hash(input.password);
    const session = await this.createAccountWithSession({
      id: uuidv7(),
      email: input.email,
      name: input.name,
      passwordHash,
      roles: ['customer'],
    });
    if (!session) {
      throw new UserError(UserErrorCode.EmailTaken, 'A user with this email already exists.');
    }
    return session;
  }

  /**
   * Wrong password and unknown email give the same answer after the same work (an
   * argon2 verification either way), so neither the body nor the timing reveals
   * which emails exist. Failures are throttled per email and client address, so a
   * stranger's failures never lock the owner out (see CredentialFailureThrottle).
   * A user with two-factor on gets no tokens yet: an mfaToken for `POST /2fa/verify`.
   */
  async login(input: { email: string; password: string }, clientIp: string): Promise<Session | MfaChallenge> {
    let userId: string | undefined;
    let mfaEnabled = false;
    const outcome = await this.failures.attempt('login', input.email, clientIp, async () => {
      const credentials = await this.users.findCredentialsByEmail(input.email);
      const valid = credentials
        ? await this.hasher.verify(credentials.passwordHash, input.password)
        : await this.hasher.verifyAgainstNothing(input.password);
      userId = credentials?.id;
      mfaEnabled = credentials?.mfaEnabled === true;
      return valid && credentials?.status === 'active';
    });
    throwIfBlocked(outcome, 'Too many failed logins for this account from this address; try again later.');
    if (outcome.kind === 'wrong' || !userId) {
      throw new AuthError(AuthErrorCode.InvalidCredentials, INVALID_CREDENTIALS);
    }
    return mfaEnabled ? this.mfaChallenges.issue(userId) : this.sessionFor(userId);
  }

  /** A new session of a user whose credentials (and second factor, if on) were just checked. */
  async sessionFor(userId: string): Promise<Session> {
    const user = await this.users.getProfile(userId);
    return { user, ...(await this.startSession(user)) };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    const owner = await this.refreshTokens.findOwner(tokenHash);
    if (!owner) {
      throw new AuthError(AuthErrorCode.RefreshInvalid, 'The refresh token is not valid.');
    }
    // Read fresh, not cached: a suspended user's refresh tokens stop working at once.
    const user = await this.users.findActiveUserUncached(owner.userId);
    if (!user) {
      await this.sessions.endSession(owner.userId, owner.familyId);
      throw new AuthError(AuthErrorCode.RefreshInvalid, 'The refresh token is not valid.');
    }
    const next = this.tokens.issueRefreshToken();
    const outcome = await this.rotate(tokenHash, next);
    switch (outcome.kind) {
      case 'rotated':
        return this.pair(user, outcome.familyId, next.token);
      case 'reused':
        // The family's revocation is committed; its access tokens must stop working too.
        await this.sessions.sessionsRevoked(outcome.userId);
        throw new AuthError(
          AuthErrorCode.RefreshReused,
          'This refresh token was already used; the session has been revoked. Log in again.',
        );
      case 'invalid':
        throw new AuthError(AuthErrorCode.RefreshInvalid, 'The refresh token is not valid.');
    }
  }

  /** Ends the session (token family) the refresh token belongs to, if it is the caller's. */
  async logout(caller: AuthenticatedUser, refreshToken: string): Promise<void> {
    const owner = await this.refreshTokens.findOwner(hashRefreshToken(refreshToken));
    if (owner && owner.userId === caller.id) {
      await this.sessions.endSession(caller.id, owner.familyId);
    }
  }

  async logoutAll(caller: AuthenticatedUser): Promise<void> {
    await this.sessions.endAllSessions(caller.id);
  }

  /** Changes the password and revokes every other session of the user. */
  async changePassword(
    caller: AuthenticatedUser,
    input: { currentPassword: string; newPassword: string },
    clientIp: string,
  ): Promise<void> {
    const outcome = await this.failures.attempt('password-change', caller.id, clientIp, async () => {
      const credentials = await this.users.findCredentialsById(caller.id);
      return credentials !== null && (await this.hasher.verify(credentials.passwordHash, input.currentPassword));
    });
    throwIfBlocked(outcome, 'Too many wrong current passwords; try again later.');
    if (outcome.kind === 'wrong') {
      throw new AuthError(AuthErrorCode.CurrentPasswordWrong, 'The current password is incorrect.');
    }
    // Checked after the current password, so only the account's owner spends this CPU.
    await this.policy.assertStrong(input.newPassword, await this.users.getProfile(caller.id), 'newPassword');
    await this.users.setPasswordHash(caller.id, await this.hasher.hash(input.newPassword));
    await this.sessions.endAllSessions(caller.id, caller.sessionId);
  }

  /**
   * The user, their first session's refresh token and the request for the verification
   * email, in one transaction: a failure leaves no account that nobody is logged in to,
   * nor one that never gets its email. `null` when the email is taken.
   */
  @Transactional()
  private async createAccountWithSession(account: NewAccount): Promise<Session | null> {
    const user = await this.users.create(account);
    if (!user) {
      return null;
    }
    await this.emails.requestVerification(user.id);
    return { user, ...(await this.startSession(user)) };
  }

  /**
   * Exchanges a refresh token for `next` in one transaction, its row locked, so two
   * concurrent refreshes of one token cannot both succeed. A token already exchanged is
   * a replay (it was stolen, or its successor was): the whole family is revoked, its
   * newest token too, and that revocation commits before the caller reports the reuse.
   */
  @Transactional()
  private async rotate(tokenHash: string, next: IssuedRefreshToken): Promise<RotationOutcome> {
    const current = await this.refreshTokens.lockByHash(tokenHash);
    if (!current) {
      return { kind: 'invalid' };
    }
    if (current.replacedById !== null) {
      await this.refreshTokens.revokeFamily(current.familyId);
      return { kind: 'reused', userId: current.userId };
    }
    if (current.revoked || current.expired) {
      return { kind: 'invalid' };
    }
    await this.refreshTokens.insert({
      id: next.id,
      userId: current.userId,
      familyId: current.familyId,
      tokenHash: next.tokenHash,
      expiresAt: next.expiresAt,
    });
    await this.refreshTokens.markReplaced(current.id, next.id);
    return { kind: 'rotated', familyId: current.familyId };
  }

  private async startSession(user: { id: string; roles: string[] }): Promise<TokenPair> {
    const refresh = this.tokens.issueRefreshToken();
    const familyId = uuidv7();
    await this.refreshTokens.insert({
      id: refresh.id,
      userId: user.id,
      familyId,
      tokenHash: refresh.tokenHash,
      expiresAt: refresh.expiresAt,
    });
    return this.pair(user, familyId, refresh.token);
  }

  private pair(user: { id: string; roles: string[] }, sessionId: string, refreshToken: string): TokenPair {
    return {
      accessToken: this.tokens.issueAccessToken(user, sessionId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.accessTtlSeconds,
    };
  }
}
