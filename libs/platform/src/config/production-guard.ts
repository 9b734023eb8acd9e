import { isPlaceholderKey, parseEncryptionKey } from './encryption-key';

/**
 * In production the service fails closed: a container that is missing its
 * configuration must not come up healthy on an embedded database, a generated secret
 * or demo accounts. This runs first thing in each app's main, before anything starts,
 * and names the one variable to fix.
 */

/** Values that have been published as examples (the compose file's fallback among them). */
const PLACEHOLDER_SECRET = /change[-_ ]?me|placeholder|example|your[-_ ]?secret|^secret$|^(.)\1+$/i;
const MIN_SECRET_BYTES = 32;

export function productionConfigProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_ENV !== 'production') {
    return undefined;
  }
  if (!env.DATABASE_URL?.trim()) {
    return 'DATABASE_URL is required when NODE_ENV=production (the embedded PostgreSQL is for development only)';
  }
  if (!env.JWT_SECRET) {
    return 'JWT_SECRET is required when NODE_ENV=production (a random value of 32 bytes or more, shared by every process)';
  }
  // The previous secret still verifies tokens during a rotation: it must be as strong.
  const secretProblem =
    weakSecretProblem('JWT_SECRET', env.JWT_SECRET) ??
    (env.JWT_PREVIOUS_SECRET ? weakSecretProblem('JWT_PREVIOUS_SECRET', env.JWT_PREVIOUS_SECRET) : undefined);
  if (secretProblem) {
    return secretProblem;
  }
  if (env.SEED_DEMO_DATA === 'true') {
    return 'SEED_DEMO_DATA=true is refused when NODE_ENV=production (demo accounts have published passwords)';
  }
  return encryptionKeyProblem(env.MFA_ENCRYPTION_KEY);
}

/** Two-factor secrets are encrypted with this key: without it (or with a lost one) no 2FA login works. */
function encryptionKeyProblem(value: string | undefined): string | undefined {
  if (!value?.trim()) {
    return 'MFA_ENCRYPTION_KEY is required when NODE_ENV=production (32 random bytes as base64 or hex, shared by every process)';
  }
  const key = parseEncryptionKey(value);
  if (!key) {
    return 'MFA_ENCRYPTION_KEY must be exactly 32 bytes, written as 64 hex digits or base64';
  }
  if (isPlaceholderKey(key)) {
    return 'MFA_ENCRYPTION_KEY is a placeholder (one repeated byte): set 32 random bytes';
  }
  return undefined;
}

function weakSecretProblem(name: string, secret: string): string | undefined {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    return `${name} must be at least ${MIN_SECRET_BYTES} bytes when NODE_ENV=production`;
  }
  if (PLACEHOLDER_SECRET.test(secret)) {
    return `${name} is a published placeholder: set a random value of 32 bytes or more`;
  }
  return undefined;
}

/** Prints one line naming the variable and exits non-zero when production is misconfigured. */
export function failClosedInProduction(app: string): void {
  const problem = productionConfigProblem();
  if (problem) {
    console.error(`${app} refused to start: ${problem}`);
    process.exit(1);
  }
}
