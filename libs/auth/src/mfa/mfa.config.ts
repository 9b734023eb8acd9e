import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isPlaceholderKey, parseEncryptionKey, parseEnv } from '@app/platform';
import { registerAs } from '@nestjs/config';
import { z } from 'zod';

export const mfaConfig = registerAs('mfa', () => {
  const vars = parseEnv('mfa', {
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    MFA_ENCRYPTION_KEY: z.string().optional(),
    JWT_SECRET: z.string().optional(),
    // The name authenticator apps show next to the account.
    MFA_ISSUER: z.string().min(1).max(64).default('Commerce API'),
  });
  return { encryptionKey: resolveKey(vars), issuer: vars.MFA_ISSUER };
});

export type MfaConfig = ReturnType<typeof mfaConfig>;

/**
 * The AES-256 key of the TOTP secrets. Required in production (the production guard
 * refuses to start without it). Elsewhere, like JWT_SECRET: `npm start` on its embedded
 * database keeps a generated key under .data/; a process given JWT_SECRET (tests,
 * docker compose in development) derives one from it, so every process sharing the
 * secret reads the same rows; otherwise a per-process key (secrets set up under it
 * become unreadable at restart, as its tokens do).
 */
function resolveKey(vars: { NODE_ENV: string; MFA_ENCRYPTION_KEY?: string; JWT_SECRET?: string }): Buffer {
  if (vars.MFA_ENCRYPTION_KEY) {
    const key = parseEncryptionKey(vars.MFA_ENCRYPTION_KEY);
    if (!key || isPlaceholderKey(key)) {
      throw new Error('Invalid mfa configuration: MFA_ENCRYPTION_KEY must be 32 random bytes as base64 or hex');
    }
    return key;
  }
  if (vars.NODE_ENV === 'production') {
    throw new Error('Invalid mfa configuration: MFA_ENCRYPTION_KEY is required in production');
  }
  if (process.env.DATABASE_EMBEDDED === 'true') {
    const file = path.resolve('.data/mfa-encryption-key');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
    }
    return parseEncryptionKey(readFileSync(file, 'utf8'))!;
  }
  if (vars.JWT_SECRET) {
    return Buffer.from(hkdfSync('sha256', vars.JWT_SECRET, '', 'commerce-api mfa-encryption-key v1', 32));
  }
  return randomBytes(32);
}
