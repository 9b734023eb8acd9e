import { ExclusiveJobRunner } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createPlatformContext } from '../../support/platform-context';

describe('ExclusiveJobRunner (PostgreSQL advisory lock)', () => {
  let first: INestApplicationContext;
  let second: INestApplicationContext;

  beforeAll(async () => {
    // Two contexts, two pools: as two worker processes would be.
    first = await createPlatformContext();
    second = await createPlatformContext();
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('runs a job on one process only when two fire it at the same moment', async () => {
    const job = `test-${randomUUID()}`;
    let runs = 0;
    const body = async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const results = await Promise.all([
      first.get(ExclusiveJobRunner).runExclusive(job, body),
      second.get(ExclusiveJobRunner).runExclusive(job, body),
    ]);
    expect(runs).toBe(1);
    expect(results.sort()).toEqual([false, true]);
  });

  it('releases the lock afterwards, also when the job throws', async () => {
    const job = `test-${randomUUID()}`;
    await expect(first.get(ExclusiveJobRunner).runExclusive(job, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(second.get(ExclusiveJobRunner).runExclusive(job, () => Promise.resolve())).resolves.toBe(true);
  });
});
