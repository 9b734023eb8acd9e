import type { ApplicationConfig } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../../support/test-app';

/**
 * What runs on every request is a performance budget (docs/performance.md): one global
 * guard, no global interceptor. A library that registers its own global enhancer (as
 * nestjs-cls does, even when told to mount nothing) fails this test instead of quietly
 * slowing every route down.
 */
describe('global enhancers of the API', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('has exactly one global guard, the access guard, and no global interceptor', () => {
    // NestApplication keeps its ApplicationConfig private; these are its public getters.
    const config = (app as unknown as { config: ApplicationConfig }).config;
    expect(config.getGlobalGuards().map((guard) => guard.constructor.name)).toEqual(['RequestAccessGuard']);
    expect(config.getGlobalRequestGuards()).toEqual([]);
    expect(config.getGlobalInterceptors()).toEqual([]);
    expect(config.getGlobalRequestInterceptors()).toEqual([]);
  });
});
