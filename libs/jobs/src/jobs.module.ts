import { Module } from '@nestjs/common';
import { AuthJobsModule } from '@app/auth';
import { BillingJobsModule } from '@app/billing';
import { PlatformScheduledJobsModule } from '@app/platform';
import { ReportsJobsModule } from '@app/reports';
import { ScheduleModule } from '@nestjs/schedule';

/**
 * Every RabbitMQ consumer and cron job of the product, gathered in one module so
 * that the worker app runs them, and the API runs the very same ones in-process when
 * there is no broker (no AMQP_URL). Each feature contributes its own jobs module.
 */
@Module({
  imports: [
    ScheduleModule.forRoot(),
    PlatformScheduledJobsModule,
    AuthJobsModule,
    BillingJobsModule,
    ReportsJobsModule,
  ],
})
export class JobsModule {}
