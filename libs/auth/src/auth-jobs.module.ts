import { ExclusiveJobRunner } from '@app/platform';
import { Injectable, Module } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';

const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Expired and revoked refresh tokens older than a day are purged, by one worker. */
@Injectable()
export class RefreshTokenPurgeJob {
  constructor(
    private readonly tokens: RefreshTokensRepository,
    private readonly jobs: ExclusiveJobRunner,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'auth-refresh-token-purge' })
  async purge(): Promise<number> {
    let purged = 0;
    await this.jobs.runExclusive('auth.purge-refresh-tokens', async () => {
      purged = await this.tokens.purge(new Date(Date.now() - RETENTION_MS));
    });
    return purged;
  }
}

@Module({ providers: [RefreshTokenPurgeJob, RefreshTokensRepository] })
export class AuthJobsModule {}
