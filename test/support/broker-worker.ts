import { brokerNames } from '@app/platform';
import { ReportsJobsModule } from '@app/reports';
import type { INestApplicationContext, Type } from '@nestjs/common';
import amqplib, { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './api-process';
import { createPlatformContext } from './platform-context';

/** The worker's consumers and their queues (names without the prefix). */
export const WORKER_QUEUES = ['reports.sales-rollup', 'reports.generate'] as const;
export type WorkerQueue = (typeof WORKER_QUEUES)[number];

/**
 * The worker's consumers on the real broker, on an exchange and queues of their own
 * so that specs running in parallel on the same run neither take these messages nor
 * send theirs here. By default it is the worker's consumer module alone: the whole
 * worker (JobsModule) would also run the outbox relay, which on a private exchange
 * would carry other specs' events away, so that takes a database of its own
 * (`env.DATABASE_URL`). A raw amqplib channel plays the hostile producer.
 */
export class BrokerWorker {
  private constructor(
    readonly context: INestApplicationContext,
    private readonly connection: ChannelModel,
    readonly channel: ConfirmChannel,
    readonly prefix: string,
    readonly exchange: string,
    private readonly filesDir: string,
  ) {}

  static async start(options: { env?: Record<string, string>; imports?: Type<unknown>[] } = {}): Promise<BrokerWorker> {
    const tag = randomUUID().slice(0, 8);
    const namePrefix = `${process.env.AMQP_NAME_PREFIX ?? 'commerce'}.w${tag}`;
    const { queuePrefix: prefix, exchange } = brokerNames(namePrefix);
    const filesDir = await mkdtemp(path.join(tmpdir(), 'broker-worker-'));
    const context = await createPlatformContext(
      {
        AMQP_NAME_PREFIX: namePrefix,
        AMQP_RETRY_DELAY_MS: '10',
        FILES_LOCAL_DIR: filesDir,
        ...options.env,
      },
      { imports: options.imports ?? [ReportsJobsModule] },
    );
    const connection = await amqplib.connect(process.env.AMQP_URL!);
    const channel = await connection.createConfirmChannel();
    // A failed check (a queue already gone) closes the channel; the caller sees the rejection.
    channel.on('error', () => undefined);
    return new BrokerWorker(context, connection, channel, prefix, exchange, filesDir);
  }

  queue(name: WorkerQueue): string {
    return `${this.prefix}${name}`;
  }

  /** Straight onto a queue, bypassing the exchange's routing (as a buggy or hostile producer may). */
  async sendToQueue(name: WorkerQueue, content: Buffer, options: Options.Publish = {}): Promise<void> {
    this.channel.sendToQueue(this.queue(name), content, { persistent: true, ...options });
    await this.channel.waitForConfirms();
  }

  async publish(routingKey: string, content: Buffer, options: Options.Publish = {}): Promise<void> {
    this.channel.publish(this.exchange, routingKey, content, { persistent: true, ...options });
    await this.channel.waitForConfirms();
  }

  /** Ready (not unacknowledged) messages on a queue. */
  async ready(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  async waitForDeadLetters(name: WorkerQueue, count: number, timeoutMs = 20_000, sent: string[] = []): Promise<void> {
    let seen = -1;
    await waitFor(
      async () => (seen = await this.ready(`${this.queue(name)}.dlq`)) >= count,
      timeoutMs,
      () => `${name}.dlq holds ${seen} of ${count} messages${sent.length > 0 ? `; sent:\n${sent.join('\n')}` : ''}`,
    );
  }

  /**
   * Stops the consumers. A delivery they never settled goes back to ready when their
   * channel closes, so afterwards an empty queue proves every delivery was settled.
   */
  async stopConsumers(): Promise<void> {
    await this.context.close();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    for (const name of WORKER_QUEUES) {
      await this.channel.deleteQueue(this.queue(name)).catch(() => undefined);
      await this.channel.deleteQueue(`${this.queue(name)}.dlq`).catch(() => undefined);
    }
    await this.channel.deleteExchange(this.exchange).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
    await rm(this.filesDir, { recursive: true, force: true });
  }
}

/** A valid order event body for the sales rollup; `overrides` go into the payload. */
export function orderEvent(
  day: string,
  overrides: Record<string, unknown> = {},
  type = 'order.placed',
): { id: string; body: Buffer } {
  const id = randomUUID();
  const payload = {
    id: randomUUID(),
    userId: randomUUID(),
    status: type === 'order.cancelled' ? 'cancelled' : 'placed',
    items: [{ productId: randomUUID(), quantity: 2, unitPriceCents: 617 }],
    totalCents: 1234,
    currency: 'EUR',
    createdAt: `${day}T12:00:00.000Z`,
    ...overrides,
  };
  return { id, body: Buffer.from(JSON.stringify({ id, type, occurredAt: new Date().toISOString(), payload })) };
}
