import { PasswordStrengthWorker } from './password-strength-worker';

/** Resolves once the thread has exited for idleness (bounded by the test's timeout). */
async function untilIdleExit(worker: PasswordStrengthWorker): Promise<void> {
  while (worker.running) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('PasswordStrengthWorker (a real zxcvbn thread)', () => {
  it('starts no thread before the first check', async () => {
    const worker = new PasswordStrengthWorker();
    expect(worker.running).toBe(false);
    await worker.stop();
  });

  it('starts with a check, exits when idle, and starts again for the next check', async () => {
    const worker = new PasswordStrengthWorker(20);
    try {
      expect((await worker.check('correct-horse-battery-staple', [])).score).toBeGreaterThanOrEqual(3);
      await untilIdleExit(worker);
      // The idle thread's exit is still under way: it must not fail the new thread's check.
      expect((await worker.check('password1234', [])).score).toBeLessThan(3);
      expect(worker.running).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it('stays up while checks keep coming', async () => {
    const worker = new PasswordStrengthWorker(60_000);
    try {
      await Promise.all(['a-first-password-9', 'a-second-password-9'].map((password) => worker.check(password, [])));
      await worker.check('a-third-password-9', []);
      expect(worker.running).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
