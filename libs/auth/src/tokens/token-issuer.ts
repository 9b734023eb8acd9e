import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import jwt from 'jsonwebtoken';
import { uuidv7 } from 'uuidv7';
import { authConfig } from '../auth.config';
import { AccessTokenKeys } from './access-token-keys';

export const JWT_ALGORITHM = 'HS256';

export interface IssuedRefreshToken {
  id: string;
  token: string;
  tokenHash: string;
  expiresAt: Date;
}

/**
 * Mints access tokens (short-lived HS256 JWTs with iss and aud, signed with JWT_SECRET's
 * key and naming it in the header's `kid`) and refresh tokens (256 random bits, only
 * their SHA-256 is stored: no key is involved, so a secret rotation leaves them valid).
 */
@Injectable()
export class TokenIssuer {
  constructor(
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly keys: AccessTokenKeys,
  ) {}

  get accessTtlSeconds(): number {
    return this.config.accessTtlSeconds;
  }

  /** `sid` names the session (refresh token family) the token was issued for. */
  issueAccessToken(user: { id: string; roles: string[] }, sessionId: string): string {
    return jwt.sign({ roles: user.roles, sid: sessionId }, this.keys.signingKey, {
      algorithm: JWT_ALGORITHM,
      keyid: this.keys.signingKid,
      subject: user.id,
      issuer: this.config.issuer,
      audience: this.config.audience,
      expiresIn: this.config.accessTtlSeconds,
    });
  }

  issueRefreshToken(): IssuedRefreshToken {
    const token = randomBytes(32).toString('base64url');
    return {
      id: uuidv7(),
      token,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(Date.now() + this.config.refreshTtlMs),
    };
  }
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
