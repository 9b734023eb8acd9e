import { UserAccounts } from '@app/users';
import { serviceUnderTest } from '../../../test/support/service-under-test';
import { AccountRecoveryService } from './account-recovery.service';
import { hashAccountToken } from './account-tokens/account-token';
import { AccountTokensRepository } from './account-tokens/account-tokens.repository';
import { AuthError, AuthErrorCode } from './auth.errors';
import { AccountEmails } from './email/account-emails';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { CredentialFailureThrottle } from './throttling/credential-failure-throttle';
import { SessionRevocation } from './tokens/session-revocation';

describe('AccountRecoveryService (collaborators substituted)', () => {
  const users = {
    getProfile: jest.fn().mockResolvedValue({ id: 'u', email: 'a@b.c', name: 'N', emailVerified: false }),
    markEmailVerified: jest.fn(),
    setPasswordHash: jest.fn(),
  };
  const tokens = { findUsable: jest.fn(), consume: jest.fn(), spendAll: jest.fn() };
  const emails = { requestVerification: jest.fn(), requestPasswordReset: jest.fn() };
  const throttle = {
    countEmailRequest: jest.fn().mockResolvedValue({ kind: 'allowed' }),
    // The real throttle runs the lookup unless the address is blocked.
    attempt: jest.fn(async (_scope: string, _account: string, _ip: string, verify: () => Promise<boolean>) =>
      (await verify()) ? { kind: 'verified' } : { kind: 'wrong' },
    ),
  };
  const policy = { assertStrong: jest.fn() };
  const sessions = { endAllSessions: jest.fn() };
  let service: AccountRecoveryService;

  beforeAll(async () => {
    service = await serviceUnderTest(AccountRecoveryService, [
      { provide: UserAccounts, useValue: users },
      { provide: AccountTokensRepository, useValue: tokens },
      { provide: AccountEmails, useValue: emails },
      { provide: CredentialFailureThrottle, useValue: throttle },
      { provide: PasswordHasher, useValue: { hash: jest.fn().mockResolvedValue('hashed') } },
      { provide: PasswordPolicy, useValue: policy },
      { provide: SessionRevocation, useValue: sessions },
    ]);
  });

  beforeEach(() => jest.clearAllMocks());

  it('asks for a reset email the same way whether or not the address has an account', async () => {
    await service.requestPasswordReset('Nobody@Example.com', '192.0.2.1');
    expect(throttle.countEmailRequest).toHaveBeenCalledWith('password-reset', 'nobody@example.com', '192.0.2.1');
    expect(emails.requestPasswordReset).toHaveBeenCalledWith('Nobody@Example.com');
    expect(users.getProfile).not.toHaveBeenCalled();
  });

  it('refuses a throttled request with AUTH_TOO_MANY_ATTEMPTS, asking for no email', async () => {
    throttle.countEmailRequest.mockResolvedValueOnce({ kind: 'blocked', retryAfterSeconds: 42 });
    const refused = service.resendVerification({ id: 'u', email: 'a@b.c', roles: [] }, '192.0.2.1');
    await expect(refused).rejects.toMatchObject({ code: AuthErrorCode.TooManyAttempts });
    expect(emails.requestVerification).not.toHaveBeenCalled();
  });

  it('looks tokens up by their hash only', async () => {
    tokens.consume.mockResolvedValueOnce('u');
    await service.verifyEmail('the-token', '192.0.2.1');
    expect(tokens.consume).toHaveBeenCalledWith('verify-email', hashAccountToken('the-token'));
    expect(users.markEmailVerified).toHaveBeenCalledWith('u');
  });

  it('counts an unknown token against the client address, and refuses a blocked address before any lookup', async () => {
    tokens.consume.mockResolvedValueOnce(null);
    await expect(service.verifyEmail('unknown', '192.0.2.9')).rejects.toMatchObject({
      code: AuthErrorCode.TokenInvalidOrUsed,
    });
    expect(throttle.attempt).toHaveBeenCalledWith('account-token', '192.0.2.9', '192.0.2.9', expect.any(Function));
    throttle.attempt.mockResolvedValueOnce({ kind: 'blocked', retryAfterSeconds: 60 } as never);
    await expect(service.confirmPasswordReset('t', 'a-strong-new-password', '192.0.2.9')).rejects.toMatchObject({
      code: AuthErrorCode.TooManyAttempts,
    });
    expect(tokens.findUsable).not.toHaveBeenCalled();
  });

  it('keeps a reset token usable when the new password is refused', async () => {
    tokens.findUsable.mockResolvedValueOnce('u');
    policy.assertStrong.mockRejectedValueOnce(new AuthError(AuthErrorCode.PasswordTooWeak, 'weak'));
    await expect(service.confirmPasswordReset('t', 'weak-password', '192.0.2.1')).rejects.toMatchObject({
      code: AuthErrorCode.PasswordTooWeak,
    });
    expect(tokens.consume).not.toHaveBeenCalled();
  });

  it('answers AUTH_TOKEN_INVALID_OR_USED when another request spent the token first', async () => {
    tokens.findUsable.mockResolvedValueOnce('u');
    tokens.consume.mockResolvedValueOnce(null);
    await expect(service.confirmPasswordReset('t', 'a-strong-new-password', '192.0.2.1')).rejects.toMatchObject({
      code: AuthErrorCode.TokenInvalidOrUsed,
    });
    expect(users.setPasswordHash).not.toHaveBeenCalled();
    expect(sessions.endAllSessions).not.toHaveBeenCalled();
  });
});
