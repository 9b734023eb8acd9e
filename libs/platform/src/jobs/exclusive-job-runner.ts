import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../logging/root-logger';

/**
 * Runs a scheduled job on one process only, however many workers fire the same cron
 * at the same moment: the job holds a PostgreSQL session advisory lock while it
 * runs, and a process that cannot take the lock skips that tick.
 */
@Injectable()
export class ExclusiveJobRunner {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Returns whether this process ran the job. */
  async runExclusive(jobName: string, job: () => Promise<void>): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`job:${jobName}`])) as Array<{
        locked: boolean;
      }>;
      if (!row?.locked) {
        this.logger.debug({ job: jobName }, 'job already running elsewhere; skipped');
        return false;
      }
      try {
        await job();
        return true;
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`job:${jobName}`]);
      }
    } finally {
      await runner.release();
    }
  }
}
