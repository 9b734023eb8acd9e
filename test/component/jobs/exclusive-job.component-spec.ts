import { Database, ExclusiveJobRunner } from '@app/platform';
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
    await expect(
      first.get(ExclusiveJobRunner).runExclusive(job, () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await expect(second.get(ExclusiveJobRunner).runExclusive(job, () => Promise.resolve())).resolves.toBe(true);
  });

  it('holds the lock in a transaction of its own (as transaction pooling needs), with the job outside it', async () => {
    const job = `test-${randomUUID()}`;
    const db = first.get(Database);
    let holders: Array<{ state: string }> = [];
    let jobInTransaction: boolean | undefined;
    await first.get(ExclusiveJobRunner).runExclusive(job, async () => {
      jobInTransaction = db.inTransaction();
      // A single-key advisory lock shows its key's low 32 bits as objid (objsubid 1).
      holders = await db.query<{ state: string }>(
        `SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.objid = (hashtext($1)::bigint & 4294967295)::oid`,
        [`job:${job}`],
      );
    });
    expect(jobInTransaction).toBe(false);
    // A session lock's holder would be 'idle'; a transaction-level lock's is in its transaction.
    expect(holders).toEqual([{ state: 'idle in transaction' }]);
  });
});
