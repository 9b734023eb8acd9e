import path from 'node:path';
import { runToExit } from '../../support/run-to-exit';

const ROOT = path.resolve(__dirname, '../../..');

/** A jest run of the one fixture suite, with the project's skip report, as `npm test` reports. */
function runFixture(env: NodeJS.ProcessEnv) {
  const config = {
    rootDir: ROOT,
    roots: ['<rootDir>/test/e2e/first-run/fixtures'],
    testRegex: 'needs-redis\\.fixture\\.ts$',
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
    testEnvironment: 'node',
    reporters: ['default', '<rootDir>/test/support/skip-report.js'],
  };
  const jest = path.join(ROOT, 'node_modules/jest/bin/jest.js');
  const { REDIS_URL: _unset, CI_REQUIRE_NO_SKIPS: _alsoUnset, ...rest } = process.env;
  return runToExit(process.execPath, [jest, '--config', JSON.stringify(config)], {
    cwd: ROOT,
    env: { ...rest, ...env },
    timeoutMs: 120_000,
  });
}

/**
 * `npm test` on a machine without Redis or RabbitMQ skips the suites that need them,
 * and says so at the end: which suites, how many tests, and why. In CI, where every
 * server is configured, a skip fails the run.
 */
describe('the skip report (a jest run of its own)', () => {
  it('lists each skipped suite with its reason, and the run passes', async () => {
    const result = await runFixture({});
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 test(s) skipped in 1 suite(s):');
    expect(result.stderr).toContain(
      'test/e2e/first-run/fixtures/needs-redis.fixture.ts: 1 skipped (REDIS_URL is not set, this needs a real Redis)',
    );
  });

  it('fails the run under CI_REQUIRE_NO_SKIPS=1', async () => {
    const result = await runFixture({ CI_REQUIRE_NO_SKIPS: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Skip check FAILED.');
  });
});
