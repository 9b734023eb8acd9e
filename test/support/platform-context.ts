import { PlatformModule } from '@app/platform';
import { INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/**
 * The platform (config, database, Redis, cache, messaging) without HTTP, as the worker
 * runs it, for tests of the platform services themselves. `env` overrides variables
 * for this context only.
 */
export async function createPlatformContext(
  env: Record<string, string | undefined> = {},
  extra: { providers?: Type<unknown>[]; imports?: Type<unknown>[] } = {},
): Promise<INestApplicationContext> {
  @Module({
    imports: [PlatformModule.forRoot({ service: 'worker' }), ...(extra.imports ?? [])],
    providers: extra.providers ?? [],
  })
  class PlatformTestModule {}

  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) {
      delete process.env[key];
    }
  }
  try {
    const context = await NestFactory.createApplicationContext(PlatformTestModule, { logger: false });
    await context.init();
    return context;
  } finally {
    process.env = saved;
  }
}
