import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { ExclusiveJobRunner, JobSchedule } from '../jobs/exclusive-job-runner';
import { IdempotencyRepository } from './idempotency.repository';

const PURGE: JobSchedule = { name: 'idempotency.purge', cron: '23 * * * *' };

/** Keys are kept 24 h; expired ones are removed hourly by one worker. */
@Injectable()
export class IdempotencyPurgeJob {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly jobs: ExclusiveJobRunner,
  ) {}

  @Cron(PURGE.cron, { name: 'idempotency-purge' })
  async purge(): Promise<void> {
    await this.jobs.runOncePerPeriod(PURGE, async () => {
      await this.repository.purgeExpired();
    });
  }
}
