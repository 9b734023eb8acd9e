import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { env, parseEnv } from './env-schema';

export const amqpConfig = registerAs('amqp', () => {
  const vars = parseEnv('amqp', {
    AMQP_URL: env.optionalUrl(['amqp', 'amqps']),
    AMQP_EXCHANGE: z.string().min(1).default('commerce.events'),
    // Prefix of every queue this app declares (see REDIS_KEY_PREFIX for why).
    AMQP_QUEUE_PREFIX: z
      .string()
      .regex(/^[\w.-]{0,64}$/)
      .default(''),
    // Queues unused this long are deleted by the broker (x-expires); 0 keeps them.
    // Meant for test runs, whose queues would otherwise pile up on a shared broker.
    AMQP_QUEUE_EXPIRES_MS: env.int(0, 0),
    AMQP_PREFETCH: env.int(20, 1, 10_000),
    AMQP_MAX_DELIVERY_ATTEMPTS: env.int(5, 1, 100),
    AMQP_RETRY_DELAY_MS: env.int(1_000, 0),
  });
  return {
    url: vars.AMQP_URL,
    exchange: vars.AMQP_EXCHANGE,
    queuePrefix: vars.AMQP_QUEUE_PREFIX,
    queueExpiresMs: vars.AMQP_QUEUE_EXPIRES_MS,
    prefetch: vars.AMQP_PREFETCH,
    maxDeliveryAttempts: vars.AMQP_MAX_DELIVERY_ATTEMPTS,
    retryDelayMs: vars.AMQP_RETRY_DELAY_MS,
  };
});

export type AmqpConfig = ReturnType<typeof amqpConfig>;
