import { createHash, randomBytes } from 'node:crypto';
import type { AccountTokenPurpose } from './account-tokens.repository';

/** How long a mailed token may be used. */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  'verify-email': 24 * 60 * 60 * 1000,
  'password-reset': 30 * 60 * 1000,
};

/** 256 random bits, URL-safe; only its SHA-256 (hashAccountToken) is stored. */
export function newAccountToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashAccountToken(token) };
}

export function hashAccountToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
