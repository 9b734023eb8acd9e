import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { env, parseEnv } from './env-schema';

export const amqpConfig = registerAs('amqp', () => {
  const vars = parseEnv('amqp', {
    AMQP_URL: env.optionalUrl(['amqp', 'amqps']),
    AMQP_EXCHANGE: z.string().min(1).default('commerce.events'),
    AMQP_PREFETCH: env.int(20, 1, 10_000),
    AMQP_MAX_DELIVERY_ATTEMPTS: env.int(5, 1, 100),
    AMQP_RETRY_DELAY_MS: env.int(1_000, 0),
  });
  return {
    url: vars.AMQP_URL,
    exchange: vars.AMQP_EXCHANGE,
    prefetch: vars.AMQP_PREFETCH,
    maxDeliveryAttempts: vars.AMQP_MAX_DELIVERY_ATTEMPTS,
    retryDelayMs: vars.AMQP_RETRY_DELAY_MS,
  };
});

export type AmqpConfig = ReturnType<typeof amqpConfig>;
