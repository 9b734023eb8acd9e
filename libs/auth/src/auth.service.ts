import { AuthenticatedUser } from '@app/platform';
import { UserError, UserErrorCode, UserProfile, UserRepository, UsersService } from '@app/users';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { AuthError, AuthErrorCode } from './auth.errors';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { AttemptOutcome, CredentialFailureThrottle } from './throttling/credential-failure-throttle';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import { SessionRevocation } from './tokens/session-revocation';
import { hashRefreshToken, TokenIssuer } from './tokens/token-issuer';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Session extends TokenPair {
  user: UserProfile;
}

const INVALID_CREDENTIALS = 'The email or password is incorrect.';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly failures: CredentialFailureThrottle,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionRevocation,
  ) {}

  async register(input: { email: string; password: string; name: string }): Promise<Session> {
    await this.policy.assertStrong(input.password, input, 'password');
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.create({ id: uuidv7(), email: input.email, name: input.name, passwordHash, roles: ['customer'] });
    if (!user) {
      throw new UserError(UserErrorCode.EmailTaken, 'A user with this email already exists.');
    }
    return { user, ...(await this.startSession(user)) };
  }

  /**
   * Wrong password and unknown email give the same answer after the same work (an
   * argon2 verification either way), so neither the body nor the timing reveals
   * which emails exist. Failures are throttled per email and client address, so a
   * stranger's failures never lock the owner out (see CredentialFailureThrottle).
   */
  async login(input: { email: string; password: string }, clientIp: string): Promise<Session> {
    let userId: string | undefined;
    const outcome = await this.failures.attempt('login', input.email, clientIp, async () => {
      const credentials = await this.users.findCredentialsByEmail(input.email);
      const valid = credentials
        ? await this.hasher.verify(credentials.passwordHash, input.password)
        : await this.hasher.verifyAgainstNothing(input.password);
      userId = credentials?.id;
      return valid && credentials?.status === 'active';
    });
    throwIfBlocked(outcome, 'Too many failed logins for this account from this address; try again later.');
    if (outcome.kind === 'wrong' || !userId) {
      throw new AuthError(AuthErrorCode.InvalidCredentials, INVALID_CREDENTIALS);
    }
    const user = await this.usersService.getProfile(userId);
    return { user, ...(await this.startSession(user)) };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    const owner = await this.refreshTokens.findOwner(tokenHash);
    if (!owner) {
      throw new AuthError(AuthErrorCode.RefreshInvalid, 'The refresh token is not valid.');
    }
    // Read fresh, not cached: a suspended user's refresh tokens stop working at once.
    const user = await this.users.findActiveUser(owner.userId);
    if (!user) {
      await this.sessions.endSession(owner.userId, owner.familyId);
      throw new AuthError(AuthErrorCode.RefreshInvalid, 'The refresh token is not valid.');
    }
    const next = this.tokens.issueRefreshToken();
    const outcome = await this.refreshTokens.rotate(tokenHash, next);
    switch (outcome.kind) {
      case 'rotated':
        return this.pair(user, outcome.familyId, next.token);
      case 'reused':
        // rotate() revoked the family; its access tokens must stop working too.
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
  async changePassword(caller: AuthenticatedUser, input: { currentPassword: string; newPassword: string }, clientIp: string): Promise<void> {
    const outcome = await this.failures.attempt('password-change', caller.id, clientIp, async () => {
      const credentials = await this.users.findCredentialsById(caller.id);
      return credentials !== null && (await this.hasher.verify(credentials.passwordHash, input.currentPassword));
    });
    throwIfBlocked(outcome, 'Too many wrong current passwords; try again later.');
    if (outcome.kind === 'wrong') {
      throw new AuthError(AuthErrorCode.CurrentPasswordWrong, 'The current password is incorrect.');
    }
    // Checked after the current password, so only the account's owner spends this CPU.
    await this.policy.assertStrong(input.newPassword, await this.usersService.getProfile(caller.id), 'newPassword');
    await this.usersService.setPasswordHash(caller.id, await this.hasher.hash(input.newPassword));
    await this.sessions.endAllSessions(caller.id, caller.sessionId);
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

function throwIfBlocked(outcome: AttemptOutcome, message: string): void {
  if (outcome.kind === 'blocked') {
    throw new AuthError(AuthErrorCode.TooManyAttempts, message, { retryAfterSeconds: outcome.retryAfterSeconds });
  }
}
