import { Database, ExclusiveJobRunner, JobSchedule } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createPlatformContext } from '../../support/platform-context';

/** An hourly job of its own for each test, so tests never share a lock or a period. */
const hourly = (): JobSchedule => ({ name: `test-${randomUUID()}`, cron: '0 * * * *' });
const at = (iso: string) => new Date(iso);

describe('ExclusiveJobRunner (PostgreSQL advisory lock and job_runs)', () => {
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
    const job = hourly();
    let runs = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const body = async () => {
      runs++;
      await held;
    };
    const running = first.get(ExclusiveJobRunner).runOncePerPeriod(job, body);
    // The second fires while the first still runs (holds the lock), then the first ends.
    const skipped = await waitUntilRunning(() => runs === 1).then(() =>
      second.get(ExclusiveJobRunner).runOncePerPeriod(job, body),
    );
    release();
    expect([await running, skipped]).toEqual([true, false]);
    expect(runs).toBe(1);
  });

  it('runs a job once per period: a late tick after the run finished skips, the next period runs', async () => {
    const job = hourly();
    const runs: string[] = [];
    const body = (who: string) => () => Promise.resolve(void runs.push(who));
    const onTime = await first.get(ExclusiveJobRunner).runOncePerPeriod(job, body('first'), at('2026-12-05T10:00:00Z'));
    // The second instance's tick for 10:00 fires late (its timer, or its start, lagged).
    const late = await second.get(ExclusiveJobRunner).runOncePerPeriod(job, body('late'), at('2026-12-05T10:00:40Z'));
    const next = await second.get(ExclusiveJobRunner).runOncePerPeriod(job, body('next'), at('2026-12-05T11:00:00Z'));
    expect([onTime, late, next]).toEqual([true, false, true]);
    expect(runs).toEqual(['first', 'next']);
    const rows = await first
      .get(Database)
      .query<{ period_start: Date }>('SELECT period_start FROM job_runs WHERE job = $1 ORDER BY period_start', [
        job.name,
      ]);
    expect(rows.map((row) => row.period_start.toISOString())).toEqual([
      '2026-12-05T10:00:00.000Z',
      '2026-12-05T11:00:00.000Z',
    ]);
  });

  it('leaves a failed run its period, and releases the lock, so a later tick of the period runs it', async () => {
    const job = hourly();
    const period = at('2026-12-05T10:00:00Z');
    await expect(
      first.get(ExclusiveJobRunner).runOncePerPeriod(job, () => Promise.reject(new Error('boom')), period),
    ).rejects.toThrow('boom');
    await expect(
      second.get(ExclusiveJobRunner).runOncePerPeriod(job, () => Promise.resolve(), at('2026-12-05T10:05:00Z')),
    ).resolves.toBe(true);
  });

  it('holds the lock in a transaction of its own (as transaction pooling needs), with the job outside it', async () => {
    const job = hourly();
    const db = first.get(Database);
    let holders: Array<{ state: string }> = [];
    let jobInTransaction: boolean | undefined;
    await first.get(ExclusiveJobRunner).runOncePerPeriod(job, async () => {
      jobInTransaction = db.inTransaction();
      // A single-key advisory lock shows its key's low 32 bits as objid (objsubid 1).
      holders = await db.query<{ state: string }>(
        `SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.objid = (hashtext($1)::bigint & 4294967295)::oid`,
        [`job:${job.name}`],
      );
    });
    expect(jobInTransaction).toBe(false);
    // A session lock's holder would be 'idle'; a transaction-level lock's is in its transaction.
    expect(holders).toEqual([{ state: 'idle in transaction' }]);
  });
});

/** Resolves once `condition` holds (checked on each turn of the event loop). */
async function waitUntilRunning(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}
