import { JobsModule } from '@app/jobs';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from '../../apps/api/src/api.module';
import { createIsolatedDatabase } from './test-database';
import { createTestApp } from './test-app';

/**
 * The API as it runs without a broker: its consumers (the account emails' among them)
 * and the outbox relay in the same process, on the in-process bus. ApiModule decides
 * whether to add JobsModule from AMQP_URL when it is first imported, which in a test
 * run is set, so this root module adds it explicitly.
 */
@Module({ imports: [ApiModule, JobsModule] })
class ApiWithJobsModule {}

export interface AppWithJobs {
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * On a database of its own (`suffix` names it): the relay publishes every row of the
 * outbox it reads, so on the shared database one spec's app would send another's
 * emails to its own SMTP server.
 */
export async function createAppWithJobs(suffix: string, env: Record<string, string | undefined>): Promise<AppWithJobs> {
  const database = await createIsolatedDatabase(suffix);
  const app = await createTestApp({ ...env, DATABASE_URL: database.url, AMQP_URL: undefined }, ApiWithJobsModule);
  return {
    app,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
