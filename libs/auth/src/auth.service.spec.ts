import type { UserRepository, UsersService } from '@app/users';
import { AuthService } from './auth.service';
import type { PasswordHasher } from './password-hasher';
import type { PasswordPolicy } from './password-policy';
import type { CredentialFailureThrottle } from './throttling/credential-failure-throttle';
import type { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import type { SessionRevocation } from './tokens/session-revocation';
import type { TokenIssuer } from './tokens/token-issuer';

describe('AuthService (repositories substituted)', () => {
  const users = {
    create: jest.fn(),
    findCredentialsByEmail: jest.fn(),
    findCredentialsById: jest.fn(),
    findActiveUser: jest.fn(),
  };
  const usersService = { getProfile: jest.fn((id: string) => Promise.resolve({ id, roles: ['customer'] })), setPasswordHash: jest.fn() };
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
    rotate: jest.fn(),
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
  const service = new AuthService(
    users as unknown as UserRepository,
    usersService as unknown as UsersService,
    hasher as unknown as PasswordHasher,
    tokens as unknown as TokenIssuer,
    refreshTokens as unknown as RefreshTokensRepository,
    failures as unknown as CredentialFailureThrottle,
    policy as unknown as PasswordPolicy,
    sessions as unknown as SessionRevocation,
  );

  beforeEach(() => jest.clearAllMocks());

  it('spends a verification on an unknown email and fails like a wrong password', async () => {
    users.findCredentialsByEmail.mockResolvedValue(null);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(hasher.verifyAgainstNothing).toHaveBeenCalledWith('p');
    users.findCredentialsByEmail.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'active' });
    hasher.verify.mockResolvedValue(false);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(failures.attempt).toHaveBeenCalledTimes(2);
    expect(failures.attempt).toHaveBeenCalledWith('login', 'x@y.z', '192.0.2.1', expect.any(Function));
  });

  it('refuses a blocked email before checking the password', async () => {
    failures.attempt.mockResolvedValueOnce({ kind: 'blocked', retryAfterSeconds: 120 } as never);
    const error = await service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH_TOO_MANY_ATTEMPTS', retryAfterSeconds: 120 });
    expect(users.findCredentialsByEmail).not.toHaveBeenCalled();
  });

  it('does not log in a suspended user even with the right password', async () => {
    users.findCredentialsByEmail.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'suspended' });
    hasher.verify.mockResolvedValue(true);
    await expect(service.login({ email: 'x@y.z', password: 'p' }, '192.0.2.1')).rejects.toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
  });

  it('maps a replayed refresh token to AUTH_REFRESH_REUSED', async () => {
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    users.findActiveUser.mockResolvedValue({ id: 'u', email: 'e', roles: ['customer'] });
    refreshTokens.rotate.mockResolvedValue({ kind: 'reused', userId: 'u' });
    await expect(service.refresh('old')).rejects.toMatchObject({ code: 'AUTH_REFRESH_REUSED' });
    // The family's access tokens must stop working too, not only its refresh tokens.
    expect(sessions.sessionsRevoked).toHaveBeenCalledWith('u');
  });

  it('revokes the family of a suspended user instead of refreshing', async () => {
    refreshTokens.findOwner.mockResolvedValue({ userId: 'u', familyId: 'f' });
    users.findActiveUser.mockResolvedValue(null);
    await expect(service.refresh('t')).rejects.toMatchObject({ code: 'AUTH_REFRESH_INVALID' });
    expect(sessions.endSession).toHaveBeenCalledWith('u', 'f');
    expect(refreshTokens.rotate).not.toHaveBeenCalled();
  });

  it('keeps the current session when the password changes', async () => {
    users.findCredentialsById.mockResolvedValue({ id: 'u', passwordHash: 'h', status: 'active' });
    hasher.verify.mockResolvedValue(true);
    await service.changePassword({ id: 'u', email: 'e', roles: [], sessionId: 'current' }, { currentPassword: 'a', newPassword: 'b' }, '192.0.2.1');
    expect(usersService.setPasswordHash).toHaveBeenCalledWith('u', expect.anything());
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
