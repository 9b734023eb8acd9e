import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExclusiveJobRunner } from './exclusive-job-runner';
import { JobRunEntity } from './job-run.entity';
import { JobRunsRepository } from './job-runs.repository';

/** The runner every cron wraps its work in, so one worker of many runs it, once per period (global: every feature's jobs use it). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobRunEntity])],
  providers: [ExclusiveJobRunner, JobRunsRepository],
  exports: [ExclusiveJobRunner],
})
export class ExclusiveJobsModule {}
