import { Module } from '@nestjs/common';
import { IdempotencyPurgeJob } from '../idempotency/idempotency-purge.job';
import { OutboxRelayJob } from '../outbox/outbox-relay.job';

/** The platform's own scheduled work: the outbox relay and housekeeping. */
@Module({ providers: [OutboxRelayJob, IdempotencyPurgeJob] })
export class PlatformScheduledJobsModule {}
