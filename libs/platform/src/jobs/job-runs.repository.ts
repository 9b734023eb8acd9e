import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';

/** How long a job's past runs are kept: far longer than any tick can be late. */
const KEEP_RUNS_DAYS = 35;

/** The SQL of ExclusiveJobRunner: the job's advisory lock and its `job_runs` rows. Run inside the runner's transaction. */
@Injectable()
export class JobRunsRepository {
  constructor(private readonly db: Database) {}

  /** Takes the job's transaction-level advisory lock, or returns false at once if another transaction holds it. */
  async tryLock(job: string): Promise<boolean> {
    const row = await this.db.one<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
      `job:${job}`,
    ]);
    return row?.locked === true;
  }

  /** Records the job's run for the period; false when a committed run already holds it. */
  async claimPeriod(job: string, periodStart: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO job_runs (job, period_start) VALUES ($1, $2) ON CONFLICT (job, period_start) DO NOTHING RETURNING job`,
      [job, periodStart],
    );
    return rows.length === 1;
  }

  /** Drops the job's runs of periods long past, so the table stays small. */
  async forgetRunsBefore(job: string, periodStart: Date): Promise<void> {
    await this.db.execute(
      `DELETE FROM job_runs WHERE job = $1 AND period_start < $2::timestamptz - ($3 || ' days')::interval`,
      [job, periodStart, KEEP_RUNS_DAYS],
    );
  }
}
