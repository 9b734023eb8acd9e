import { Global, Module } from '@nestjs/common';
import { ExclusiveJobRunner } from './exclusive-job-runner';

/** The runner every cron wraps its work in, so one worker of many runs it (global: every feature's jobs use it). */
@Global()
@Module({ providers: [ExclusiveJobRunner], exports: [ExclusiveJobRunner] })
export class ExclusiveJobsModule {}
