import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { uuidv7 } from 'uuidv7';
import { hashRefreshToken } from '../tokens/token-issuer';
import { MfaChallengesRepository } from './mfa-challenges.repository';

/** What login answers for a user with two-factor on, instead of tokens. */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
}

/** API.md: the mfaToken lives 5 minutes. */
export const MFA_TOKEN_TTL_MS = 5 * 60 * 1000;

/**
 * The token that carries a login from its password step to its code step: 256 random
 * bits, stored only as its SHA-256 (like a refresh token), single use, 5 minutes.
 */
@Injectable()
export class MfaChallenges {
  constructor(private readonly challenges: MfaChallengesRepository) {}

  async issue(userId: string): Promise<MfaChallenge> {
    const mfaToken = randomBytes(32).toString('base64url');
    await this.challenges.insert({
      id: uuidv7(),
      userId,
      tokenHash: hashMfaToken(mfaToken),
      ttlMs: MFA_TOKEN_TTL_MS,
    });
    return { mfaRequired: true, mfaToken };
  }
}

export const hashMfaToken = hashRefreshToken;
