import type { Logger } from 'pino';
import { z } from 'zod';
import { describeIssues, InvalidMessageError } from './event-contract';
import type { BusMessage, ConsumerOptions, MessageHandler } from './message-bus';
import { topicMatches } from './topic-pattern';

/** What a transport must do with a delivery; every delivery ends in exactly one of these. */
export type Settlement =
  { action: 'ack' } | { action: 'retry'; attempt: number; delayMs: number } | { action: 'dead-letter'; reason: string };

/** The envelope every message carries; anything else on a queue is garbage, not a message. */
const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(255),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});

/** Publishers check their own envelope: a malformed one is a bug, refused before it travels. */
export function assertEnvelope(message: unknown): asserts message is BusMessage {
  const envelope = envelopeSchema.safeParse(message);
  if (!envelope.success) {
    throw new InvalidMessageError(`refusing to publish an invalid envelope: ${describeIssues(envelope.error)}`);
  }
}

/**
 * The delivery number from the `x-attempt` header: absent is the first delivery; a
 * value that is not a positive integer (tampered with, or from a foreign producer)
 * counts as the last attempt, so a failure dead-letters it instead of looping.
 */
export function attemptFrom(header: unknown, maxAttempts: number): number {
  if (header === undefined || header === null) {
    return 1;
  }
  return typeof header === 'number' && Number.isSafeInteger(header) && header > 0 ? header : maxAttempts;
}

export interface DeliveryInput {
  queue: string;
  options: ConsumerOptions;
  maxAttempts: number;
  retryDelayMs: number;
  /** Produces the message body; may throw (not JSON, not UTF-8). */
  decode: () => unknown;
  attemptHeader: unknown;
  redelivered: boolean;
  handler: MessageHandler;
  logger: Logger;
}

/**
 * Decides the fate of one delivery, whatever its body: parse, check the envelope and
 * the type against the queue's bindings, run the handler. It never throws, so the
 * transports can settle every delivery from its answer. Garbage and messages the
 * handler reports as invalid are dead-lettered at once; other failures are retried
 * until the last attempt.
 */
export async function decideDelivery(input: DeliveryInput): Promise<Settlement> {
  const { queue, logger } = input;
  let body: unknown;
  try {
    body = input.decode();
  } catch (error) {
    return deadLetter(logger, queue, undefined, `unparseable body: ${errorMessage(error)}`);
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    return deadLetter(logger, queue, undefined, `invalid envelope: ${describeIssues(envelope.error)}`);
  }
  const message = envelope.data as BusMessage;
  if (!input.options.bindings.some((pattern) => topicMatches(pattern, message.type))) {
    return deadLetter(logger, queue, message.id, `type ${message.type} is not bound to this queue`);
  }
  const attempt = attemptFrom(input.attemptHeader, input.maxAttempts);
  try {
    await input.handler(message, { attempt, redelivered: input.redelivered || attempt > 1 });
    return { action: 'ack' };
  } catch (error) {
    if (error instanceof InvalidMessageError) {
      return deadLetter(logger, queue, message.id, `invalid message: ${error.message}`);
    }
    if (attempt >= input.maxAttempts) {
      logger.error(
        { err: error, queue, messageId: message.id, attempt },
        'message dead-lettered after its last attempt',
      );
      return { action: 'dead-letter', reason: errorMessage(error) };
    }
    logger.warn({ err: error, queue, messageId: message.id, attempt }, 'handler failed; retrying');
    return { action: 'retry', attempt, delayMs: input.retryDelayMs * attempt };
  }
}

function deadLetter(logger: Logger, queue: string, messageId: string | undefined, reason: string): Settlement {
  logger.error({ queue, messageId, reason }, 'invalid message dead-lettered');
  return { action: 'dead-letter', reason };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
