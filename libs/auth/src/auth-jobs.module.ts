import { MailModule } from '@app/mail';
import { ExclusiveJobRunner, JobSchedule } from '@app/platform';
import { UsersModule } from '@app/users';
import { Injectable, Module } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { AccountTokensRepository } from './account-tokens/account-tokens.repository';
import { AccountEmailConsumer } from './email/account-email.consumer';
import { AccountEmailSender } from './email/account-email.sender';
import { RefreshTokensRepository } from './tokens/refresh-tokens.repository';
import { UserSessionsModule } from './tokens/user-sessions.module';

const RETENTION_MS = 24 * 60 * 60 * 1000;
const PURGE: JobSchedule = { name: 'auth.purge-refresh-tokens', cron: CronExpression.EVERY_HOUR };

/** Expired and revoked refresh tokens, and spent or expired mailed tokens, older than a day are purged, by one worker. */
@Injectable()
export class RefreshTokenPurgeJob {
  constructor(
    private readonly tokens: RefreshTokensRepository,
    private readonly accountTokens: AccountTokensRepository,
    private readonly jobs: ExclusiveJobRunner,
  ) {}

  @Cron(PURGE.cron, { name: 'auth-refresh-token-purge' })
  async purge(): Promise<number> {
    let purged = 0;
    await this.jobs.runOncePerPeriod(PURGE, async () => {
      const before = new Date(Date.now() - RETENTION_MS);
      purged = (await this.tokens.purge(before)) + (await this.accountTokens.purge(before));
    });
    return purged;
  }
}

/** The account emails' consumer and the token purge: run by the worker, or by the API without a broker. */
@Module({
  // UsersModule needs the UserSessions port, which UserSessionsModule provides (globally).
  imports: [UsersModule, UserSessionsModule, MailModule],
  providers: [
    RefreshTokenPurgeJob,
    RefreshTokensRepository,
    AccountTokensRepository,
    AccountEmailSender,
    AccountEmailConsumer,
  ],
})
export class AuthJobsModule {}
