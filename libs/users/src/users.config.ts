import { env, parseEnv } from '@app/platform';
import { registerAs } from '@nestjs/config';

export const usersConfig = registerAs('users', () => {
  const vars = parseEnv('users', {
    USER_CACHE_TTL_MS: env.int(30_000, 0),
  });
  return { activeUserCacheTtlMs: Math.max(1, vars.USER_CACHE_TTL_MS) };
});
