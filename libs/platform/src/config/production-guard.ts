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
