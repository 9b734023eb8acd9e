import { appConfig } from '@app/platform';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/create-api-app';

/**
 * Boots the real ApiModule on Fastify with the production pipeline, against the
 * run's database. Requests go through `app.inject()` (no socket needed).
 * `env` overrides variables for this app only.
 */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  rootModule?: Type<unknown>,
): Promise<NestFastifyApplication> {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) {
      delete process.env[key];
    } else {
      process.env[key] = value;
    }
  }
  try {
    const app = await createApiApp(appConfig(), rootModule);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  }
}
