import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { AmqpConfig } from '../config/amqp.config';
import { assertEnvelope, decideDelivery, Settlement } from './delivery';
import { BusMessage, ConsumerOptions, MessageBus, MessageHandler } from './message-bus';

const ATTEMPT_HEADER = 'x-attempt';

/**
 * Acks or nacks a delivery. When the channel closed while the handler ran (the
 * connection dropped), amqplib throws; there is nothing to do then: the broker puts
 * every unacknowledged delivery of a closed channel back on its queue, and consumers
 * deduplicate by message id.
 */
function acknowledge(action: () => void): void {
  try {
    action();
  } catch {
    // Channel closed: the broker redelivers.
  }
}
const PUBLISH_TIMEOUT_MS = 5_000;
/**
 * On close, how long the deliveries already being handled get to finish and settle
 * before the channels close (what is still unsettled then goes back to its queue).
 */
const CLOSE_DRAIN_MS = 10_000;

/** A consumer's current channel and tag (both change when the connection is re-made). */
interface Subscription {
  channel?: Channel;
  consumerTag?: string;
}

/**
 * RabbitMQ through amqp-connection-manager, which re-creates channels, exchanges,
 * queues and consumers after every reconnect.
 *
 * Topology: one durable topic exchange for all messages; per consumer a durable
 * queue bound to its patterns, dead-lettering into `<queue>.dlq` through a direct
 * dead-letter exchange. Publishing waits for the broker's confirm. A failed handler
 * is retried by re-queueing a copy with an attempt counter (the original is acked
 * only after the copy is confirmed), and dead-lettered after the last attempt.
 * Every delivery is settled (acked, retried or dead-lettered), whatever its body.
 */
export class RabbitMqMessageBus extends MessageBus {
  readonly transport = 'rabbitmq' as const;
  private readonly connection: AmqpConnectionManager;
  private readonly publisher: ChannelWrapper;
  private readonly consumers: ChannelWrapper[] = [];
  private readonly subscriptions: Subscription[] = [];
  /** Deliveries being handled, settled or not yet. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly deadLetterExchange: string;

  constructor(
    private readonly config: AmqpConfig,
    private readonly logger: Logger,
  ) {
    super();
    this.deadLetterExchange = `${config.exchange}.dlx`;
    this.connection = amqp.connect([config.url!], { heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 1 });
    this.connection.on('connect', () => logger.info('rabbitmq connected'));
    this.connection.on('disconnect', ({ err }) => logger.warn({ err }, 'rabbitmq disconnected'));
    this.publisher = this.connection.createChannel({
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      setup: (channel: ConfirmChannel) => this.assertExchanges(channel),
    });
    // A channel wrapper without an 'error' listener would crash the process.
    this.publisher.on('error', (err: Error) => logger.warn({ err }, 'rabbitmq publisher channel error'));
  }

  async publish(message: BusMessage): Promise<void> {
    assertEnvelope(message);
    await this.publisher.publish(this.config.exchange, message.type, Buffer.from(JSON.stringify(message)), {
      persistent: true,
      messageId: message.id,
      type: message.type,
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000),
    });
  }

  async consume(options: ConsumerOptions, handler: MessageHandler): Promise<void> {
    const queue = `${this.config.queuePrefix}${options.queue}`;
    const maxAttempts = options.maxAttempts ?? this.config.maxDeliveryAttempts;
    const subscription: Subscription = {};
    this.subscriptions.push(subscription);
    const channel = this.connection.createChannel({
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      setup: async (ch: ConfirmChannel) => {
        await this.assertExchanges(ch);
        const expiry = this.config.queueExpiresMs > 0 ? { 'x-expires': this.config.queueExpiresMs } : {};
        await ch.assertQueue(`${queue}.dlq`, { durable: true, arguments: expiry });
        await ch.bindQueue(`${queue}.dlq`, this.deadLetterExchange, queue);
        await ch.assertQueue(queue, {
          durable: true,
          arguments: {
            'x-dead-letter-exchange': this.deadLetterExchange,
            'x-dead-letter-routing-key': queue,
            ...expiry,
          },
        });
        for (const pattern of options.bindings) {
          await ch.bindQueue(queue, this.config.exchange, pattern);
        }
        await ch.prefetch(this.config.prefetch);
        const { consumerTag } = await ch.consume(queue, (raw) => {
          if (raw) {
            const handling = this.handle(ch, channel, queue, maxAttempts, raw, options, handler).catch((err: unknown) =>
              this.logger.error({ err, queue }, 'message handling failed unexpectedly'),
            );
            this.inFlight.add(handling);
            void handling.finally(() => this.inFlight.delete(handling));
          }
        });
        subscription.channel = ch;
        subscription.consumerTag = consumerTag;
      },
    });
    channel.on('error', (err: Error) => this.logger.warn({ err, queue }, 'rabbitmq consumer channel error'));
    this.consumers.push(channel);
    await channel.waitForConnect();
  }

  async waitUntilConnected(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const connected = this.publisher.waitForConnect().then(() => true);
    const result = await Promise.race([connected, timeout]);
    clearTimeout(timer);
    if (!result) {
      this.logger.warn('rabbitmq not reachable at start-up; messages wait in the outbox until it is');
    }
    return result;
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /**
   * A graceful stop: no new deliveries (each consumer is cancelled), then the ones being
   * handled get up to CLOSE_DRAIN_MS to finish and be settled, then the channels close.
   * Without the wait, a delivery whose work had committed but whose ack was not yet sent
   * went back to its queue and was handled again (deduplicated, but work all the same).
   */
  async close(): Promise<void> {
    await Promise.allSettled(
      this.subscriptions.map(({ channel, consumerTag }) =>
        channel && consumerTag ? channel.cancel(consumerTag) : Promise.resolve(),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_DRAIN_MS);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    await Promise.allSettled(this.consumers.map((consumer) => consumer.close()));
    await this.publisher.close().catch(() => undefined);
    await this.connection.close();
  }

  private async assertExchanges(channel: Channel): Promise<void> {
    await channel.assertExchange(this.config.exchange, 'topic', { durable: true });
    await channel.assertExchange(this.deadLetterExchange, 'direct', { durable: true });
  }

  /**
   * One delivery: decide its fate, then settle it in a `finally`, so nothing (a body
   * that is not a message, a handler that throws, a bug here) can leave it unacked and
   * holding one of the prefetch slots until the process restarts.
   */
  private async handle(
    channel: Channel,
    wrapper: ChannelWrapper,
    queue: string,
    maxAttempts: number,
    raw: ConsumeMessage,
    options: ConsumerOptions,
    handler: MessageHandler,
  ): Promise<void> {
    let settlement: Settlement = { action: 'dead-letter', reason: 'unexpected failure while handling' };
    try {
      settlement = await decideDelivery({
        queue,
        options,
        maxAttempts,
        retryDelayMs: this.config.retryDelayMs,
        decode: () => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.content)) as unknown,
        attemptHeader: raw.properties.headers?.[ATTEMPT_HEADER],
        redelivered: raw.fields.redelivered,
        handler,
        logger: this.logger,
      });
    } finally {
      await this.settle(channel, wrapper, queue, raw, settlement);
    }
  }

  private async settle(
    channel: Channel,
    wrapper: ChannelWrapper,
    queue: string,
    raw: ConsumeMessage,
    settlement: Settlement,
  ): Promise<void> {
    switch (settlement.action) {
      case 'ack':
        acknowledge(() => channel.ack(raw));
        return;
      case 'dead-letter':
        acknowledge(() => channel.nack(raw, false, false));
        return;
      case 'retry':
        await new Promise((resolve) => setTimeout(resolve, settlement.delayMs));
        try {
          await wrapper.sendToQueue(queue, raw.content, {
            persistent: true,
            messageId: raw.properties.messageId as string | undefined,
            type: raw.properties.type as string | undefined,
            contentType: 'application/json',
            headers: { ...raw.properties.headers, [ATTEMPT_HEADER]: settlement.attempt + 1 },
          });
          acknowledge(() => channel.ack(raw));
        } catch (republishError) {
          // The copy was not confirmed: put the original back rather than lose it.
          this.logger.warn({ err: republishError, queue }, 'retry re-queue failed; requeueing original');
          acknowledge(() => channel.nack(raw, false, true));
        }
    }
  }
}
