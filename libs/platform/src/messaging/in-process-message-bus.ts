import type { Logger } from 'pino';
import { BusMessage, ConsumerOptions, MessageBus, MessageHandler } from './message-bus';
import { topicMatches } from './topic-pattern';

interface Subscription {
  options: ConsumerOptions;
  handler: MessageHandler;
}

/**
 * The bus used when no AMQP_URL is configured: delivery in this process, after the
 * publisher's current tick, with the same retry and dead-letter rules as RabbitMQ.
 * Nothing survives a restart, which is why production runs RabbitMQ; events that
 * must not be lost are still safe because the outbox keeps them until published.
 */
export class InProcessMessageBus extends MessageBus {
  readonly transport = 'in-process' as const;
  private readonly subscriptions: Subscription[] = [];
  private readonly pending = new Set<Promise<void>>();
  readonly deadLetters: Array<{ queue: string; message: BusMessage; error: string }> = [];
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly defaults: { maxDeliveryAttempts: number; retryDelayMs: number },
  ) {
    super();
  }

  publish(message: BusMessage): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Error('message bus is closed'));
    }
    for (const subscription of this.subscriptions) {
      if (subscription.options.bindings.some((pattern) => topicMatches(pattern, message.type))) {
        // Each queue gets its own copy, as with a topic exchange.
        this.track(this.deliver(subscription, structuredClone(message), 1));
      }
    }
    return Promise.resolve();
  }

  consume(options: ConsumerOptions, handler: MessageHandler): Promise<void> {
    this.subscriptions.push({ options, handler });
    return Promise.resolve();
  }

  waitUntilConnected(): Promise<boolean> {
    return Promise.resolve(true);
  }

  isConnected(): boolean {
    return !this.closed;
  }

  /** Lets deliveries already under way finish before the process exits. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }

  private async deliver(subscription: Subscription, message: BusMessage, attempt: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const maxAttempts = subscription.options.maxAttempts ?? this.defaults.maxDeliveryAttempts;
    try {
      await subscription.handler(message, { attempt, redelivered: attempt > 1 });
    } catch (error) {
      if (attempt < maxAttempts && !this.closed) {
        this.logger.warn({ err: error, queue: subscription.options.queue, messageId: message.id, attempt }, 'handler failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, this.defaults.retryDelayMs * attempt));
        return this.deliver(subscription, message, attempt + 1);
      }
      this.logger.error({ err: error, queue: subscription.options.queue, messageId: message.id, attempt }, 'message dead-lettered');
      this.deadLetters.push({ queue: subscription.options.queue, message, error: String(error) });
    }
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }
}
