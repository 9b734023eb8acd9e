import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { env, parseEnv } from './env-schema';

/**
 * The broker names of one deployment: `<prefix>.events` (the topic exchange; its
 * dead-letter exchange adds `.dlx`) and `<prefix>.<queue>` for every queue (its
 * dead-letter queue adds `.dlq`).
 */
export function brokerNames(prefix: string): { exchange: string; queuePrefix: string } {
  return { exchange: `${prefix}.events`, queuePrefix: `${prefix}.` };
}

export const amqpConfig = registerAs('amqp', () => {
  const vars = parseEnv('amqp', {
    AMQP_URL: env.optionalUrl(['amqp', 'amqps']),
    // The one name of this deployment on the broker: its exchanges and queues all start
    // with it, so two deployments sharing a RabbitMQ (staging beside production, two
    // test runs) never take each other's messages. See brokerNames().
    AMQP_NAME_PREFIX: z
      .string()
      .regex(/^[\w-][\w.-]{0,63}$/)
      .default('commerce'),
    // Queues unused this long are deleted by the broker (x-expires); 0 keeps them.
    // Meant for test runs, whose queues would otherwise pile up on a shared broker.
    AMQP_QUEUE_EXPIRES_MS: env.int(0, 0),
    AMQP_PREFETCH: env.int(20, 1, 10_000),
    AMQP_MAX_DELIVERY_ATTEMPTS: env.int(5, 1, 100),
    AMQP_RETRY_DELAY_MS: env.int(1_000, 0),
  });
  return {
    url: vars.AMQP_URL,
    ...brokerNames(vars.AMQP_NAME_PREFIX),
    queueExpiresMs: vars.AMQP_QUEUE_EXPIRES_MS,
    prefetch: vars.AMQP_PREFETCH,
    maxDeliveryAttempts: vars.AMQP_MAX_DELIVERY_ATTEMPTS,
    retryDelayMs: vars.AMQP_RETRY_DELAY_MS,
  };
});

export type AmqpConfig = ReturnType<typeof amqpConfig>;
