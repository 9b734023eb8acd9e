import { AppConfig, appConfig, configureHttpApp, createFastifyAdapter, RequestObservation } from '@app/platform';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from './api.module';
import { OPENAPI_TEXT } from './openapi-text';

/** Builds the API exactly as production runs it; main.ts and the e2e tests both use it. */
export async function createApiApp(
  config: AppConfig = appConfig(),
  rootModule: Type<unknown> = ApiModule,
): Promise<NestFastifyApplication> {
  const observation = new RequestObservation();
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, createFastifyAdapter(config, observation), {
    bufferLogs: true,
  });
  await configureHttpApp(app, config, { observation, openApiText: OPENAPI_TEXT });
  return app;
}
