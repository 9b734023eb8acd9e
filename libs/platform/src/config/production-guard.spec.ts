import { productionConfigProblem } from './production-guard';

const GOOD = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/app',
  JWT_SECRET: 'q9Jx2vT7wLmR4pZs8KdN3bYf6HcA1uEgWo5iXrVt0',
  MFA_ENCRYPTION_KEY: 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s=',
};

describe('productionConfigProblem', () => {
  it('accepts a complete production configuration', () => {
    expect(productionConfigProblem(GOOD)).toBeUndefined();
  });

  it('checks nothing outside production (npm start, tests)', () => {
    expect(productionConfigProblem({})).toBeUndefined();
    expect(productionConfigProblem({ NODE_ENV: 'development', SEED_DEMO_DATA: 'true' })).toBeUndefined();
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: '' }],
    ['DATABASE_URL', { DATABASE_URL: '   ' }],
    ['JWT_SECRET', { JWT_SECRET: '' }],
    ['JWT_SECRET', { JWT_SECRET: 'only-twenty-bytes-ok' }],
    ['JWT_SECRET', { JWT_SECRET: 'change-me-to-a-long-random-secret-of-32-bytes-or-more' }],
    ['JWT_SECRET', { JWT_SECRET: 'CHANGEME_CHANGEME_CHANGEME_CHANGEME_1' }],
    ['JWT_SECRET', { JWT_SECRET: 'a'.repeat(64) }],
    ['JWT_PREVIOUS_SECRET', { JWT_PREVIOUS_SECRET: 'only-twenty-bytes-ok' }],
    ['JWT_PREVIOUS_SECRET', { JWT_PREVIOUS_SECRET: 'change-me-to-a-long-random-secret-of-32-bytes-or-more' }],
    ['JWT_PREVIOUS_SECRET', { JWT_PREVIOUS_SECRET: 'b'.repeat(40) }],
    ['SEED_DEMO_DATA', { SEED_DEMO_DATA: 'true' }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: undefined }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: '' }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: 'not-a-key' }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: 'ab'.repeat(31) }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: Buffer.alloc(33, 7).toString('base64') }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: '0'.repeat(64) }],
    ['MFA_ENCRYPTION_KEY', { MFA_ENCRYPTION_KEY: 'A'.repeat(43) + '=' }],
  ])('names %s when it is wrong', (variable, override) => {
    expect(productionConfigProblem({ ...GOOD, ...override })).toContain(variable);
  });

  it.each([
    ['hex', '3f'.repeat(16) + 'a1'.repeat(16)],
    ['base64', 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s='],
    ['base64url without padding', 'Vb8Zq2mN6xR1tK9wP4sL7dF3hJ0gC5yE2aU8iO6nB1s'],
  ])('takes MFA_ENCRYPTION_KEY as %s', (_form, key) => {
    expect(productionConfigProblem({ ...GOOD, MFA_ENCRYPTION_KEY: key })).toBeUndefined();
  });

  it('accepts a strong previous secret, and an empty one as unset (the compose default)', () => {
    expect(
      productionConfigProblem({ ...GOOD, JWT_PREVIOUS_SECRET: 'Zt4rW8nQ2vLx6pKm9cHs3dYf7gBj1aEu5oNi0' }),
    ).toBeUndefined();
    expect(productionConfigProblem({ ...GOOD, JWT_PREVIOUS_SECRET: '' })).toBeUndefined();
  });

  it('counts the secret in bytes, not characters', () => {
    expect(productionConfigProblem({ ...GOOD, JWT_SECRET: 'é'.repeat(16) + 'Kq7' })).toBeUndefined();
  });
});
