import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPgPool } from '../database/pg-transactions';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/root-logger';
import { cronPeriodStart } from './cron-period';
import { JobRunsRepository } from './job-runs.repository';

/** A scheduled job: its name (its lock and its `job_runs` rows) and its cron expression (its periods). */
export interface JobSchedule {
  name: string;
  cron: string;
}

/**
 * Runs a scheduled job once per period of its cron expression, however many workers
 * fire it and whenever their ticks fire within the period:
 *
 * - a PostgreSQL transaction-level advisory lock on the job's name stops two runs at the
 *   same moment: a process that cannot take it skips that tick;
 * - in the lock's transaction, the run claims its (job, period start) row in `job_runs`:
 *   a tick that fires after another process's run finished (a late timer, a worker
 *   started late) finds the row and skips. The row commits with the lock's transaction,
 *   after the job succeeded; a job that throws rolls it back, so the period stays
 *   unclaimed and a later tick of it may run it again.
 *
 * A transaction-level lock, not a session one: it is released by the COMMIT or
 * ROLLBACK on the connection that took it, so it also works through a pooler in
 * transaction mode (PgBouncer, #19), where a session lock and its unlock could land on
 * two different server connections and the lock would outlive the job. The jobs are
 * short (one purge statement, a renewal pass), so an idle transaction held for their
 * duration costs one pool connection, as the session lock's dedicated connection did.
 */
@Injectable()
export class ExclusiveJobRunner {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterPgPool>,
    private readonly runs: JobRunsRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns whether this process ran the job. `firedAt`: when the tick fired (now). */
  runOncePerPeriod(schedule: JobSchedule, job: () => Promise<void>, firedAt = new Date()): Promise<boolean> {
    const periodStart = cronPeriodStart(schedule.cron, firedAt);
    // A transaction of its own (never a caller's), holding the lock and the claim.
    return this.txHost.withTransaction(Propagation.RequiresNew, async () => {
      if (!(await this.runs.tryLock(schedule.name))) {
        this.logger.debug({ job: schedule.name }, 'job already running elsewhere; skipped');
        return false;
      }
      if (!(await this.runs.claimPeriod(schedule.name, periodStart))) {
        this.logger.debug({ job: schedule.name, periodStart }, 'job already ran for this period; skipped');
        return false;
      }
      await this.runs.forgetRunsBefore(schedule.name, periodStart);
      // The job runs outside the lock's transaction: its own @Transactional() methods
      // commit (or fail) on their own, as they would if it ran unlocked. Its failure
      // rolls the lock's transaction back, which releases the lock and the claim.
      await this.txHost.withoutTransaction(job);
      return true;
    });
  }
}
