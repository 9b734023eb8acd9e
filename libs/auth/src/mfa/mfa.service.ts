import { AuthenticatedUser, ROOT_LOGGER, Transactional } from '@app/platform';
import { UserAccounts } from '@app/users';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { AuthError, AuthErrorCode, MfaCodeRefused } from '../auth.errors';
import { AuthService, Session } from '../auth.service';
import { CredentialFailureThrottle } from '../throttling/credential-failure-throttle';
import { throwIfBlocked } from '../throttling/throw-if-blocked';
import { SessionRevocation } from '../tokens/session-revocation';
import { hashMfaToken } from './mfa-challenges';
import { MfaChallengesRepository } from './mfa-challenges.repository';
import { mfaConfig } from './mfa.config';
import { MfaRepository } from './mfa.repository';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { SecretBox } from './secret-box';
import { acceptedStep, newTotpSecret, otpauthUrl } from './totp';

/** The second factor of a login: a TOTP code, or one of the recovery codes (which wins if both are given). */
export interface SecondFactor {
  code?: string;
  recoveryCode?: string;
}

const TOO_MANY = 'Too many wrong two-factor codes for this account from this address; try again later.';
const LOGIN_EXPIRED = 'This two-factor login has expired or was already completed; log in again.';

/**
 * Two-factor login with TOTP (RFC 6238). The secret is sealed with AES-256-GCM before it
 * is stored and is shown only by setup; each code is accepted once (the last accepted
 * time step is kept per user); recovery codes are single use; wrong codes are throttled
 * per account and client address like passwords (CredentialFailureThrottle, scope `mfa`).
 */
@Injectable()
export class MfaService {
  private readonly box: SecretBox;

  constructor(
    private readonly users: UserAccounts,
    private readonly auth: AuthService,
    private readonly mfa: MfaRepository,
    private readonly challenges: MfaChallengesRepository,
    private readonly failures: CredentialFailureThrottle,
    private readonly sessions: SessionRevocation,
    @Inject(mfaConfig.KEY) private readonly config: ConfigType<typeof mfaConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.box = new SecretBox(config.encryptionKey);
  }

  /** A new secret, pending until `enable` confirms a code of it; replaces an unconfirmed one. */
  async setup(caller: AuthenticatedUser): Promise<{ secret: string; otpauthUrl: string }> {
    if ((await this.mfa.find(caller.id))?.secretSealed) {
      throw new AuthError(AuthErrorCode.MfaAlreadyEnabled, 'Two-factor login is already on; disable it first.');
    }
    const profile = await this.users.getProfile(caller.id);
    const secret = newTotpSecret();
    await this.mfa.savePending(caller.id, this.box.seal(secret, caller.id));
    return { secret, otpauthUrl: otpauthUrl(secret, this.config.issuer, profile.email) };
  }

  /**
   * Turns two-factor on with a code of the pending secret; the recovery codes are shown
   * this once. Every other session of the user ends, as on a password change: one opened
   * before (perhaps by whoever made the user turn two-factor on) must not outlive it.
   */
  async enable(caller: AuthenticatedUser, code: string, clientIp: string): Promise<{ recoveryCodes: string[] }> {
    const state = await this.mfa.find(caller.id);
    if (state?.secretSealed) {
      throw new AuthError(AuthErrorCode.MfaAlreadyEnabled, 'Two-factor login is already on.');
    }
    const pending = state?.pendingSecretSealed;
    if (!pending) {
      throw new AuthError(AuthErrorCode.MfaSetupRequired, 'Call POST /v1/auth/2fa/setup first.');
    }
    const recoveryCodes = newRecoveryCodes();
    const outcome = await this.failures.attempt('mfa', caller.id, clientIp, async () => {
      const secret = this.openSecret(pending, caller.id);
      const step = secret === null ? null : acceptedStep(secret, code, Date.now(), null);
      return step !== null && this.activate(caller.id, pending, step, recoveryCodes.map(hashRecoveryCode));
    });
    throwIfBlocked(outcome, TOO_MANY);
    if (outcome.kind === 'wrong') {
      throw new MfaCodeRefused('The code does not match the secret from setup; check the device clock.');
    }
    await this.users.profileChanged(caller.id);
    await this.sessions.endAllSessions(caller.id, caller.sessionId);
    return { recoveryCodes };
  }

  /** Completes a login of a user with two-factor on: the mfaToken from login and a code. */
  async verify(mfaToken: string, factor: SecondFactor, clientIp: string): Promise<Session> {
    const tokenHash = hashMfaToken(mfaToken);
    const userId = await this.challenges.findLive(tokenHash);
    if (!userId) {
      throw new AuthError(AuthErrorCode.MfaCodeInvalid, LOGIN_EXPIRED);
    }
    const outcome = await this.failures.attempt('mfa', userId, clientIp, () =>
      this.completeLogin(userId, tokenHash, factor),
    );
    throwIfBlocked(outcome, TOO_MANY);
    if (outcome.kind === 'wrong') {
      throw new AuthError(AuthErrorCode.MfaCodeInvalid, 'The code is wrong, expired or was already used.');
    }
    // Read fresh: a user suspended since the password step gets no session.
    if (!(await this.users.findActiveUserUncached(userId))) {
      throw new AuthError(AuthErrorCode.MfaCodeInvalid, LOGIN_EXPIRED);
    }
    return this.auth.sessionFor(userId);
  }

  /**
   * Turns two-factor off; needs a current code, so a stolen access token alone cannot.
   * Every other session of the user ends, as on a password change.
   */
  async disable(caller: AuthenticatedUser, code: string, clientIp: string): Promise<void> {
    if (!(await this.mfa.find(caller.id))?.secretSealed) {
      throw new AuthError(AuthErrorCode.MfaNotEnabled, 'Two-factor login is not on.');
    }
    const outcome = await this.failures.attempt('mfa', caller.id, clientIp, () => this.turnOff(caller.id, code));
    throwIfBlocked(outcome, TOO_MANY);
    if (outcome.kind === 'wrong') {
      throw new MfaCodeRefused('The code is wrong, expired or was already used.');
    }
    await this.users.profileChanged(caller.id);
    await this.sessions.endAllSessions(caller.id, caller.sessionId);
  }

  /** Secret, first step, recovery codes and the profile's flag together, or none of them. */
  @Transactional()
  private async activate(userId: string, pending: string, step: number, codeHashes: string[]): Promise<boolean> {
    if (!(await this.mfa.activate(userId, pending, step))) {
      return false;
    }
    await this.mfa.replaceRecoveryCodes(userId, codeHashes);
    await this.users.setMfaEnabled(userId, true);
    return true;
  }

  /**
   * The code is spent and the mfaToken used up in one transaction: if another request
   * completed this login first, the throw rolls the code's use back.
   */
  @Transactional()
  private async completeLogin(userId: string, tokenHash: string, factor: SecondFactor): Promise<boolean> {
    const accepted =
      factor.recoveryCode !== undefined
        ? await this.mfa.useRecoveryCode(userId, hashRecoveryCode(factor.recoveryCode))
        : await this.useCode(userId, factor.code ?? '');
    if (accepted && !(await this.challenges.consume(tokenHash))) {
      throw new AuthError(AuthErrorCode.MfaCodeInvalid, LOGIN_EXPIRED);
    }
    return accepted;
  }

  @Transactional()
  private async turnOff(userId: string, code: string): Promise<boolean> {
    if (!(await this.useCode(userId, code))) {
      return false;
    }
    await this.mfa.remove(userId);
    await this.users.setMfaEnabled(userId, false);
    return true;
  }

  /** Accepts a TOTP code of a step later than the last one used, and records that step. */
  private async useCode(userId: string, code: string): Promise<boolean> {
    const state = await this.mfa.find(userId);
    if (!state?.secretSealed) {
      return false;
    }
    const secret = this.openSecret(state.secretSealed, userId);
    const step = secret === null ? null : acceptedStep(secret, code, Date.now(), state.lastStep);
    return step !== null && this.mfa.useStep(userId, step);
  }

  /**
   * null when the sealed secret does not open (MFA_ENCRYPTION_KEY was changed, or the row
   * altered): its codes are refused like wrong ones, while recovery codes still log in,
   * rather than a 500 on every attempt.
   */
  private openSecret(sealed: string, userId: string): string | null {
    try {
      return this.box.open(sealed, userId);
    } catch {
      this.logger.error({ userId }, 'a two-factor secret does not open with MFA_ENCRYPTION_KEY');
      return null;
    }
  }
}
