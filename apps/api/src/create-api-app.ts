import { AppConfig, appConfig, configureHttpApp, createFastifyAdapter } from '@app/platform';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from './api.module';

/** Builds the API exactly as production runs it; main.ts and the e2e tests both use it. */
export async function createApiApp(config: AppConfig = appConfig()): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, createFastifyAdapter(config), {
    bufferLogs: true,
  });
  await configureHttpApp(app, config);
  return app;
}
