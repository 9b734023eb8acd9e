import { Injectable } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { ExclusiveJobRunner } from '../jobs/exclusive-job-runner';
import { IdempotencyRepository } from './idempotency.repository';

/** Keys are kept 24 h; expired ones are removed hourly by one worker. */
@Injectable()
export class IdempotencyPurgeJob {
  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly jobs: ExclusiveJobRunner,
  ) {}

  @Cron('23 * * * *', { name: 'idempotency-purge' })
  async purge(): Promise<void> {
    await this.jobs.runExclusive('idempotency.purge', async () => {
      await this.repository.purgeExpired();
    });
  }
}
