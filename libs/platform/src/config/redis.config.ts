import { registerAs } from '@nestjs/config';
import { env, parseEnv } from './env-schema';

export const redisConfig = registerAs('redis', () => {
  const vars = parseEnv('redis', {
    REDIS_URL: env.optionalUrl(['redis', 'rediss']),
    CACHE_TTL_MS: env.int(60_000, 1),
    CACHE_COMMAND_TIMEOUT_MS: env.int(250, 10),
    CACHE_MEMORY_MAX_ENTRIES: env.int(10_000, 10),
  });
  return {
    url: vars.REDIS_URL,
    defaultTtlMs: vars.CACHE_TTL_MS,
    commandTimeoutMs: vars.CACHE_COMMAND_TIMEOUT_MS,
    memoryMaxEntries: vars.CACHE_MEMORY_MAX_ENTRIES,
  };
});

export type RedisConfig = ReturnType<typeof redisConfig>;
