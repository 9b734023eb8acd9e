import path from 'node:path';
import { freePort } from '../../support/api-process';
import { runToExit } from '../../support/run-to-exit';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * A read replica that cannot be reached at start is an outage to ride out (the reads go to
 * the primary: test/component/database/replica-fallback); one that answers with an error
 * is a misconfiguration, and the built API refuses to start on it with one line naming the
 * cause, instead of serving 5xx on its first lag-tolerant read.
 */
describe('a misconfigured read replica (built API)', () => {
  it('refuses to start: exit 1, "failed to start" with the server\'s error', async () => {
    const misconfigured = new URL(process.env.DATABASE_URL!);
    misconfigured.pathname = `/no_such_database_${Date.now()}`;
    const result = await runToExit(process.execPath, [path.join(ROOT, 'dist/apps/api/src/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_READ_URLS: misconfigured.toString(),
        REDIS_URL: '',
        AMQP_URL: '',
        PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
      },
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/API failed to start: database "no_such_database_\d+" does not exist/);
  }, 70_000);
});
