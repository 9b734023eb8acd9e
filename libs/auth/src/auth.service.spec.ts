import { UserAccounts } from '@app/users';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { AuthService } from './auth.service';
import { AccountEmails } from './email/account-emails';
import { MfaChallenges } from './mfa/mfa-challenges';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { CredentialFailureThrottle } from './throttling/credential-failure-throttle';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import { SessionRevocation } from './tokens/session-revocation';
import { TokenIssuer } from './tokens/token-issuer';

describe('AuthService (users port and repositories substituted)', () => {
  const users = {
    create: jest.fn(),
    findCredentialsByEmail: jest.fn(),
    findCredentialsById: jest.fn(),
    findActiveUserUncached: jest.fn(),
    getProfile: jest.fn((id: string) => Promise.resolve({ id, roles: ['customer'] })),
    setPasswordHash: jest.fn(),
  };
  const hasher = {
    hash: jest.fn(() => Promise.resolve('hashed')),
    verify: jest.fn(),
    verifyAgainstNothing: jest.fn(() => Promise.resolve(false)),
  };
  const tokens = {
    accessTtlSeconds: 900,
    issueAccessToken: jest.fn(() => 'access'),
    issueRefreshToken: jest.fn(() => ({ id: 'r1', token: 'refresh', tokenHash: 'h', expiresAt: new Date() })),
  };
  const refreshTokens = {
    insert: jest.fn(),
    findOwner: jest.fn(),
    lockByHash: jest.fn(),
    markReplaced: jest.fn(),
    revokeFamily: jest.fn(),
    revokeAllOfUser: jest.fn(),
  };
  // Runs the password check as the real throttle does when the address is not throttled.
  const failures = {
    attempt: jest.fn(async (_scope: string, _account: string, _ip: string, verify: () => Promise<boolean>) => ({
      kind: (await verify()) ? 'verified' : 'wrong',
    })),
  };
  const policy = { assertStrong: jest.fn(() => Promise.resolve()) };
  const sessions = { endSession: jest.fn(), endAllSessions: jest.fn(), sessionsRevoked: jest.fn() };
  const emails = { requestVerification: jest.fn() };
  const mfaChallenges = { issue: jest.fn(() => Promise.resolve({ mfaRequired: true, mfaToken: 'mfa' })) };
  let service: AuthService;
  const stored = (overrides: object = {}) => ({
    id: 't1',
    userId: 'u',
    familyId: 'f',
    expired: false,
    revoked: false,
    replacedById: null,
    ...overrides,
  });

  beforeAll(async () => {
    service = await serviceUnderTest(AuthService, [
      { provide: UserAccounts, useValue: users },
      { provide: PasswordHasher, useValue: hasher },
      { provide: TokenIssuer, useValue: tokens },
      { provide: RefreshTokensRepository, useValue: refreshTokens },
      { provide: CredentialFailureThrottle, useValue: failures },
      { provide: PasswordPolicy, useValue: policy },
      { provide: SessionRevocation, useValue: sessions },
      { provide: AccountEmails, useValue: emails },
      { provide: MfaChallenges, useValue: mfaChallenges },
    ]);
  });

  beforeEach(() => jest.clearAllMocks());

  it('registers the account and its first session together, or answers USER_EMAIL_TAKEN with no session', async () => {
    users.create.mockResolvedValue({ id: 'u', roles: ['customer'] });
    await expect(service.register({ email: 'a@b.c', password: 'p', name: 'N' })).resolves.toMatchObject({
      user: { id: 'u' },
      refreshToken: 'refresh',
    });
    expect(users.create).toHaveBeenCalledWith(
      expect.objectContaining({ email: 'a@b.c', passwordHash: 'hashed', roles: ['customer'] }),
    );
    expect(refreshTokens.insert).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'r1', userId: 'u', tokenHash: 'h' }),
    );
    expect(emails.requestVerification).toHaveBeenCalledWith('u');
    users.create.mockResolvedValue(null);
    refreshTokens.insert.mockClear();
    emails.requestVerification.mockClear();
    await expect(service.register({ email: 'a@b.c', password: 'p', name: 'N' })).rejects.toMatchObject({
      code: 'USER_EMAIL_TAKEN',
    });
    expect(refreshTokens.insert).not.toHaveBeenCalled();
    expect(emails.requestVerification).not.toHaveBeenCalled();
  });

  it('spends a verification on an unknown email and fails like a wrong password', async () => {
    users.findCredentialsByEmail.mockResolvedValue(null);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).rejects.toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
    expect(hasher.verifyAgainstNothing).toHaveBeenCalledWith('p');
    users.findCredentialsByEmail.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'active' });
    hasher.verify.mockResolvedValue(false);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).rejects.toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
    expect(failures.attempt).toHaveBeenCalledTimes(2);
    expect(failures.attempt).toHaveBeenCalledWith('login', 'x@y.z', '192.0.2.1', expect.any(Function));
  });

  it('refuses a blocked email before checking the password', async () => {
    failures.attempt.mockResolvedValueOnce({ kind: 'blocked', retryAfterSeconds: 120 } as never);
    const error = await service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_TOO_MANY_ATTEMPTS', retryAfterSeconds: 120 });
    expect(users.findCredentialsByEmail).not.toHaveBeenCalled();
  });

  it('answers a user with two-factor on with an mfaToken and starts no session', async () => {
    users.findCredentialsByEmail.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'active', mfaEnabled: true });
    hasher.verify.mockResolvedValue(true);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).resolves.toEqual({
      mfaRequired: true,
      mfaToken: 'mfa',
    });
    expect(mfaChallenges.issue).toHaveBeenCalledWith('u');
    expect(refreshTokens.insert).not.toHaveBeenCalled();
  });

  it('does not log in a suspended user even with the right password', async () => {
    users.findCredentialsByEmail.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'suspended' });
    hasher.verify.mockResolvedValue(true);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).rejects.toMatchObject({
      code: 'AUTH_INVALID_CREDENTIALS',
    });
  });

  it('rotates a live refresh token: the successor joins its family and the old one points at it', async () => {
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    users.findActiveUserUncached.mockResolvedValue({ id: 'u', email: 'e', roles: ['customer'] });
    refreshTokens.lockByHash.mockResolvedValue(stored());
    await expect(service.refresh('old')).resolves.toMatchObject({ accessToken: 'access', refreshToken: 'refresh' });
    expect(refreshTokens.insert).toHaveBeenCalledWith({
      id: 'r1',
      userId: 'u',
      familyId: 'f',
      tokenHash: 'h',
      expiresAt: expect.any(Date),
    });
    expect(refreshTokens.markReplaced).toHaveBeenCalledWith('t1', 'r1');
    expect(tokens.issueAccessToken).toHaveBeenCalledWith(expect.objectContaining({ id: 'u' }), 'f');
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
  });

  it('maps a replayed refresh token to AUTH_REFRESH_REUSED after revoking its whole family', async () => {
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    users.findActiveUserUncached.mockResolvedValue({ id: 'u', email: 'e', roles: ['customer'] });
    refreshTokens.lockByHash.mockResolvedValue(stored({ revoked: true, replacedById: 't2' }));
    await expect(service.refresh('old')).rejects.toMatchObject({ code: 'AUTH_REFRESH_REUSED' });
    expect(refreshTokens.revokeFamily).toHaveBeenCalledWith('f');
    expect(refreshTokens.insert).not.toHaveBeenCalled();
    // The family's access tokens must stop working too, not only its refresh tokens.
    expect(sessions.sessionsRevoked).toHaveBeenCalledWith('u');
  });

  it.each([
    ['revoked (logged out)', { revoked: true }],
    ['expired', { expired: true }],
  ])('refuses a %s refresh token without revoking anything', async (_what, state) => {
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    users.findActiveUserUncached.mockResolvedValue({ id: 'u', email: 'e', roles: ['customer'] });
    refreshTokens.lockByHash.mockResolvedValue(stored(state));
    await expect(service.refresh('t')).rejects.toMatchObject({ code: 'AUTH_REFRESH_INVALID' });
    expect(refreshTokens.insert).not.toHaveBeenCalled();
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
    expect(sessions.sessionsRevoked).not.toHaveBeenCalled();
  });

  it('refuses an unknown refresh token before reading the user', async () => {
    refreshTokens.findOwner.mockResolvedValue(null);
    await expect(service.refresh('t')).rejects.toMatchObject({ code: 'AUTH_REFRESH_INVALID' });
    expect(users.findActiveUserUncached).not.toHaveBeenCalled();
  });

  it('revokes the family of a suspended user instead of refreshing', async () => {
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    users.findActiveUserUncached.mockResolvedValue(null);
    await expect(service.refresh('t')).rejects.toMatchObject({ code: 'AUTH_REFRESH_INVALID' });
    expect(sessions.endSession).toHaveBeenCalledWith('u', 'f');
    expect(refreshTokens.lockByHash).not.toHaveBeenCalled();
  });

  it('keeps the current session when the password changes', async () => {
    users.findCredentialsById.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'active' });
    hasher.verify.mockResolvedValue(true);
    await service.changePassword(
      { id: 'u', email: 'e', roles: [], sessionId: 'current' },
      { currentPassword: 'a', newPassword: 'b' },
      '192.0.2.1',
    );
    expect(users.setPasswordHash).toHaveBeenCalledWith('u', expect.anything());
    expect(sessions.endAllSessions).toHaveBeenCalledWith('u', 'current');
  });

  it("ends only the caller's own session on logout, and every session on logout-all", async () => {
    const caller = { id: 'u', email: 'e', roles: [], sessionId: 's' };
    refreshTokens.findOwner.mockResolvedValue({ userId: 'someone-else', familyId: 'f' });
    await service.logout(caller, 't');
    expect(sessions.endSession).not.toHaveBeenCalled();
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    await service.logout(caller, 't');
    expect(sessions.endSession).toHaveBeenCalledWith('u', 'f');
    await service.logoutAll(caller);
    expect(sessions.endAllSessions).toHaveBeenCalledWith('u');
  });
});
