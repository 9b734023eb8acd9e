import { JobsModule } from '@app/jobs';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from '../../apps/api/src/api.module';
import { createTestApp } from './test-app';

/**
 * The API as it runs without a broker: its consumers (the account emails' among them)
 * and the outbox relay in the same process, on the in-process bus. ApiModule decides
 * whether to add JobsModule from AMQP_URL when it is first imported, which in a test
 * run is set, so this root module adds it explicitly.
 */
@Module({ imports: [ApiModule, JobsModule] })
class ApiWithJobsModule {}

export function createAppWithJobs(env: Record<string, string | undefined>): Promise<NestFastifyApplication> {
  return createTestApp({ ...env, AMQP_URL: undefined }, ApiWithJobsModule);
}
