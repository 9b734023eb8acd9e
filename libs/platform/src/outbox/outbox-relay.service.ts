import { Transactional } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/root-logger';
import { MessageBus } from '../messaging/message-bus';
import { runInTraceparent } from '../tracing/trace-context';
import { OutboxRepository } from './outbox.repository';

const BATCH_SIZE = 100;
const MAX_BACKOFF_MS = 60_000;

/**
 * Publishes outbox rows to the message bus and marks them sent. A message the
 * broker does not confirm stays in the outbox and is retried with exponential
 * backoff, so an event is published if and only if its change committed (at least
 * once: consumers deduplicate by message id).
 */
@Injectable()
export class OutboxRelay {
  private running: Promise<number> | undefined;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly bus: MessageBus,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Publishes every due message; concurrent calls in one process share one pass. */
  publishDue(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      // While the broker is unreachable, leave the rows alone instead of waiting
      // out a publish timeout per message; they go out once it is back.
      if (!this.bus.isConnected()) {
        return total;
      }
      const { claimed, published } = await this.publishBatch();
      total += published;
      if (claimed < BATCH_SIZE || !this.bus.isConnected()) {
        return total;
      }
    }
  }

  /**
   * One batch in one transaction: the rows stay locked while they are published, and
   * their outcome commits with the transaction. Returns how many were claimed and published.
   */
  @Transactional()
  private async publishBatch(): Promise<{ claimed: number; published: number }> {
    const batch = await this.outbox.lockDue(BATCH_SIZE);
    const published: string[] = [];
    for (const { message, attempts, traceparent } of batch) {
      try {
        // In the trace of the request that wrote it: the publish span (amqplib's
        // instrumentation) joins that trace and its context travels in the message headers.
        await runInTraceparent(traceparent, () => this.bus.publish(message));
        published.push(message.id);
      } catch (error) {
        const retryInMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts);
        await this.outbox.markFailed(message.id, error instanceof Error ? error.message : String(error), retryInMs);
        // The rest of the batch would most likely fail the same way: keep it for the next pass.
        this.logger.warn({ failed: 1, published: published.length }, 'outbox: broker did not confirm; will retry');
        break;
      }
    }
    if (published.length > 0) {
      await this.outbox.markPublished(published);
    }
    return { claimed: batch.length, published: published.length };
  }
}
