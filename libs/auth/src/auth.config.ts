import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env, parseEnv } from '@app/platform';
import { registerAs } from '@nestjs/config';
import { z } from 'zod';

export const authConfig = registerAs('auth', () => {
  const vars = parseEnv('auth', {
    // Unset means development: `npm start` on a laptop. Deployments set production.
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    JWT_SECRET: z.string().optional(),
    // Verification only, during a rotation; empty (compose's default) is unset.
    JWT_PREVIOUS_SECRET: z
      .string()
      .optional()
      .transform((value) => value || undefined),
    JWT_ISSUER: z.string().min(1).default('commerce-api'),
    JWT_AUDIENCE: z.string().min(1).default('commerce-api-clients'),
    JWT_ACCESS_TTL_SECONDS: env.int(900, 30, 86_400),
    REFRESH_TTL_DAYS: env.int(30, 1, 365),
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
    // Per client address, on the credential routes; the general limit is the platform's.
    THROTTLE_AUTH_PER_MINUTE: env.int(10, 1),
    // Failed password attempts on one account from one client address, then that
    // address is throttled on that account (login and password change alike).
    LOGIN_FAILURES_PER_EMAIL: env.int(5, 1),
    // Failed attempts on one account from all addresses together, past which each
    // address gets a single attempt (distributed guessing; see docs/decisions.md).
    LOGIN_FAILURES_PER_ACCOUNT: env.int(100, 1),
    LOGIN_FAILURE_WINDOW_SECONDS: env.int(900, 1),
    // Orders and subscriptions of a user whose email is not verified are a 403.
    EMAIL_VERIFICATION_REQUIRED: env.bool(false),
    // Emails one account may ask for (verification resends, password resets) from one
    // client address per window, and from all addresses together.
    ACCOUNT_EMAILS_PER_CLIENT: env.int(5, 1),
    ACCOUNT_EMAILS_PER_ACCOUNT: env.int(20, 1),
    ACCOUNT_EMAIL_WINDOW_SECONDS: env.int(3600, 1),
  });
  const secret = resolveSecret(vars.JWT_SECRET, vars.NODE_ENV);
  for (const [name, value] of [
    ['JWT_SECRET', secret],
    ['JWT_PREVIOUS_SECRET', vars.JWT_PREVIOUS_SECRET],
  ] as const) {
    if (value !== undefined && Buffer.byteLength(value) < 32) {
      throw new Error(`Invalid auth configuration: ${name} must be at least 32 bytes`);
    }
  }
  return {
    secret,
    previousSecret: vars.JWT_PREVIOUS_SECRET,
    issuer: vars.JWT_ISSUER,
    audience: vars.JWT_AUDIENCE,
    accessTtlSeconds: vars.JWT_ACCESS_TTL_SECONDS,
    refreshTtlMs: vars.REFRESH_TTL_DAYS * 24 * 60 * 60 * 1000,
    admin:
      vars.ADMIN_EMAIL && vars.ADMIN_PASSWORD ? { email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD } : undefined,
    emailVerificationRequired: vars.EMAIL_VERIFICATION_REQUIRED,
    accountEmails: {
      perClient: vars.ACCOUNT_EMAILS_PER_CLIENT,
      perAccount: vars.ACCOUNT_EMAILS_PER_ACCOUNT,
      windowMs: vars.ACCOUNT_EMAIL_WINDOW_SECONDS * 1000,
    },
    throttle: {
      authPerMinute: vars.THROTTLE_AUTH_PER_MINUTE,
      failuresPerClient: vars.LOGIN_FAILURES_PER_EMAIL,
      failuresPerAccount: vars.LOGIN_FAILURES_PER_ACCOUNT,
      windowMs: vars.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
    },
  };
});

export type AuthConfig = ReturnType<typeof authConfig>;

/**
 * JWT_SECRET is required in production (every PM2 worker must share it). The demo
 * of `npm start` on its embedded database keeps a generated secret under .data/ so
 * tokens survive a restart; elsewhere (tests, development) a per-process secret is made.
 */
function resolveSecret(configured: string | undefined, nodeEnv: string): string {
  if (configured) {
    return configured;
  }
  if (process.env.DATABASE_EMBEDDED === 'true') {
    const file = path.resolve('.data/jwt-secret');
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    }
    return readFileSync(file, 'utf8').trim();
  }
  if (nodeEnv === 'production') {
    throw new Error('Invalid auth configuration: JWT_SECRET is required in production');
  }
  return randomBytes(48).toString('base64url');
}
