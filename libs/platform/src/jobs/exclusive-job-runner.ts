import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Database } from '../database/database';
import { ROOT_LOGGER } from '../logging/root-logger';

/**
 * Runs a scheduled job on one process only, however many workers fire the same cron
 * at the same moment: the job runs while a transaction holds a PostgreSQL
 * transaction-level advisory lock on its name, and a process that cannot take the lock
 * skips that tick.
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
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly db: Database,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns whether this process ran the job. */
  runExclusive(jobName: string, job: () => Promise<void>): Promise<boolean> {
    // A transaction of its own (never a caller's), whose only statement is the lock.
    return this.txHost.withTransaction(Propagation.RequiresNew, async () => {
      const row = await this.db.one<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        `job:${jobName}`,
      ]);
      if (!row?.locked) {
        this.logger.debug({ job: jobName }, 'job already running elsewhere; skipped');
        return false;
      }
      // The job runs outside the lock's transaction: its own @Transactional() methods
      // commit (or fail) on their own, as they would if it ran unlocked. Its failure
      // rolls the lock's transaction back, which releases the lock all the same.
      await this.txHost.withoutTransaction(job);
      return true;
    });
  }
}
