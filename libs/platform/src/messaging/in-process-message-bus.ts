import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import { assertEnvelope, decideDelivery, Settlement } from './delivery';
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
  readonly deadLetters: Array<{ queue: string; message: unknown; error: string }> = [];
  private closed = false;
  /**
   * Runs a function in the async context this bus was created in (module init: no request,
   * no transaction). A delivery must not inherit the publisher's context, as it would not
   * through a broker: the outbox relay publishes inside its own transaction, and a handler
   * that inherited it joined that transaction (nestjs-cls keeps it in async-local storage),
   * ran its statements concurrently on the relay's connection and went on after the relay
   * had committed and returned the connection to the pool.
   */
  private readonly inBusContext = AsyncLocalStorage.snapshot();

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
    try {
      assertEnvelope(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    for (const subscription of this.subscriptions) {
      if (subscription.options.bindings.some((pattern) => topicMatches(pattern, message.type))) {
        // Each queue gets its own copy, as with a topic exchange.
        const copy = structuredClone(message);
        this.inBusContext(() => this.track(this.deliver(subscription, copy, undefined)));
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

  /**
   * One delivery, decided by the same rules as on RabbitMQ and settled in a `finally`:
   * done, retried later as a new delivery, or dead-lettered, whatever happened.
   * `attemptHeader` plays the part of RabbitMQ's `x-attempt` header.
   */
  private async deliver(subscription: Subscription, message: unknown, attemptHeader: unknown): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const { options, handler } = subscription;
    let settlement: Settlement = { action: 'dead-letter', reason: 'unexpected failure while handling' };
    try {
      settlement = await decideDelivery({
        queue: options.queue,
        options,
        maxAttempts: options.maxAttempts ?? this.defaults.maxDeliveryAttempts,
        retryDelayMs: this.defaults.retryDelayMs,
        decode: () => message,
        attemptHeader,
        redelivered: false,
        handler,
        logger: this.logger,
      });
    } finally {
      this.settle(subscription, message, settlement);
    }
  }

  private settle(subscription: Subscription, message: unknown, settlement: Settlement): void {
    if (settlement.action === 'retry' && !this.closed) {
      const next = settlement.attempt + 1;
      this.track(
        new Promise<void>((resolve) => setTimeout(resolve, settlement.delayMs)).then(() =>
          this.deliver(subscription, message, next),
        ),
      );
    } else if (settlement.action !== 'ack') {
      // Nothing outlives this process, so a retry cut short by close() is dead-lettered too.
      const reason = settlement.action === 'dead-letter' ? settlement.reason : 'bus closed before the retry';
      this.deadLetters.push({ queue: subscription.options.queue, message, error: reason });
    }
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }
}
