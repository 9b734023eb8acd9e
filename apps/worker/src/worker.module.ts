import { JobsModule } from '@app/jobs';
import { PlatformModule } from '@app/platform';
import { Module } from '@nestjs/common';

/** No HTTP: RabbitMQ consumers and cron jobs, on the same services as the API. */
@Module({
  imports: [PlatformModule.forRoot({ service: 'worker' }), JobsModule],
})
export class WorkerModule {}
