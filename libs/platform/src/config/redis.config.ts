import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { env, parseEnv } from './env-schema';

export const redisConfig = registerAs('redis', () => {
  const vars = parseEnv('redis', {
    REDIS_URL: env.optionalUrl(['redis', 'rediss']),
    CACHE_TTL_MS: env.int(60_000, 1),
    CACHE_COMMAND_TIMEOUT_MS: env.int(250, 10),
    CACHE_MEMORY_MAX_ENTRIES: env.int(10_000, 10),
    // Prefix of every key this app writes to Redis, so several deployments (or test
    // runs) can share one Redis without reading each other's entries.
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w:-]{0,64}$/)
      .default('commerce'),
  });
  return {
    url: vars.REDIS_URL,
    defaultTtlMs: vars.CACHE_TTL_MS,
    commandTimeoutMs: vars.CACHE_COMMAND_TIMEOUT_MS,
    memoryMaxEntries: vars.CACHE_MEMORY_MAX_ENTRIES,
    keyPrefix: vars.REDIS_KEY_PREFIX,
  };
});

export type RedisConfig = ReturnType<typeof redisConfig>;
