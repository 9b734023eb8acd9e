import { env, ExclusiveJobRunner, JobSchedule, parseEnv, ROOT_LOGGER } from '@app/platform';
import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { Logger } from 'pino';
import { z } from 'zod';
import { BillingModule } from './billing.module';
import { RenewalsService } from './renewals.service';

/**
 * The worker's renewal cron (BILLING_RENEWAL_CRON, every minute by default). Several
 * workers may fire it: one runs it once per minute (ExclusiveJobRunner), and the
 * database would refuse a second invoice for a period anyway.
 */
@Injectable()
export class RenewalsCron implements OnModuleInit, OnApplicationShutdown {
  private job?: CronJob;

  constructor(
    private readonly renewals: RenewalsService,
    private readonly jobs: ExclusiveJobRunner,
    private readonly scheduler: SchedulerRegistry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const { BILLING_RENEWAL_CRON: expression, BILLING_RENEWALS_ENABLED: enabled } = parseEnv('billing', {
      BILLING_RENEWAL_CRON: z.string().default('0 * * * * *'),
      BILLING_RENEWALS_ENABLED: env.bool(true),
    });
    if (!enabled) {
      return;
    }
    const schedule: JobSchedule = { name: 'billing.renewals', cron: expression };
    this.job = CronJob.from({ cronTime: expression, onTick: () => this.tick(schedule), start: true });
    this.scheduler.addCronJob('billing-renewals', this.job);
  }

  onApplicationShutdown(): void {
    void this.job?.stop();
  }

  async tick(schedule: JobSchedule): Promise<void> {
    try {
      await this.jobs.runOncePerPeriod(schedule, async () => {
        const report = await this.renewals.runRenewals();
        if (report.renewed + report.canceled > 0) {
          this.logger.info(report, 'subscriptions renewed');
        }
      });
    } catch (error) {
      this.logger.error({ err: error }, 'renewal run failed; the next tick retries');
    }
  }
}

@Module({ imports: [BillingModule], providers: [RenewalsCron] })
export class BillingJobsModule {}
