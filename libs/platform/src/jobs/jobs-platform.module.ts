import { Global, Module } from '@nestjs/common';
import { ExclusiveJobRunner } from './exclusive-job-runner';

@Global()
@Module({ providers: [ExclusiveJobRunner], exports: [ExclusiveJobRunner] })
export class JobsPlatformModule {}
