import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '../config/env-schema';

export const rateLimitConfig = registerAs('rateLimit', () => {
  const vars = parseEnv('rateLimit', {
    // Per client address, every throttled route; counted in each process and
    // reconciled through Redis every second (ReconciledCounter).
    THROTTLE_DEFAULT_PER_MINUTE: env.int(600, 1),
  });
  return { generalPerMinute: vars.THROTTLE_DEFAULT_PER_MINUTE };
});
