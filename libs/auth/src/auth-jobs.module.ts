import { ExclusiveJobRunner, JobSchedule } from '@app/platform';
import { Injectable, Module } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';

const RETENTION_MS = 24 * 60 * 60 * 1000;
const PURGE: JobSchedule = { name: 'auth.purge-refresh-tokens', cron: CronExpression.EVERY_HOUR };

/** Expired and revoked refresh tokens older than a day are purged, by one worker. */
@Injectable()
export class RefreshTokenPurgeJob {
  constructor(
    private readonly tokens: RefreshTokensRepository,
    private readonly jobs: ExclusiveJobRunner,
  ) {}

  @Cron(PURGE.cron, { name: 'auth-refresh-token-purge' })
  async purge(): Promise<number> {
    let purged = 0;
    await this.jobs.runOncePerPeriod(PURGE, async () => {
      purged = await this.tokens.purge(new Date(Date.now() - RETENTION_MS));
    });
    return purged;
  }
}

@Module({ providers: [RefreshTokenPurgeJob, RefreshTokensRepository] })
export class AuthJobsModule {}
