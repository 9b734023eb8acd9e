import { Injectable } from '@nestjs/common';
import { Cron, Interval } from '@nestjs/schedule';
import { ExclusiveJobRunner, JobSchedule } from '../jobs/exclusive-job-runner';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

const PUBLISHED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const PURGE: JobSchedule = { name: 'outbox.purge', cron: '17 3 * * *' };

/**
 * The worker's side of the outbox: polls for due messages every 250 ms (a cheap
 * index-only query when there are none). Several workers may poll at once: rows are
 * claimed with SKIP LOCKED, so no lock is needed here.
 */
@Injectable()
export class OutboxRelayJob {
  private busy = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
    private readonly jobs: ExclusiveJobRunner,
  ) {}

  @Interval('outbox-relay', 250)
  async tick(): Promise<void> {
    if (this.busy) {
      return;
    }
    this.busy = true;
    try {
      await this.relay.publishDue();
    } catch {
      // The database being unavailable is logged by the pool; the next tick retries.
    } finally {
      this.busy = false;
    }
  }

  @Cron(PURGE.cron, { name: 'outbox-purge' })
  async purge(): Promise<void> {
    await this.jobs.runOncePerPeriod(PURGE, async () => {
      await this.outbox.purgePublishedBefore(new Date(Date.now() - PUBLISHED_RETENTION_MS));
    });
  }
}
