import { brokerNames, BusMessage, MessageBus } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import amqplib from 'amqplib';
import { randomUUID } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { waitFor } from '../../support/api-process';
import { createPlatformContext } from '../../support/platform-context';
import { describeWithRabbit } from '../../support/requires';

const message = (type: string, payload: unknown): BusMessage => ({
  id: uuidv7(),
  type,
  occurredAt: new Date().toISOString(),
  payload,
});

/**
 * Two deployments on one RabbitMQ, each with its own AMQP_NAME_PREFIX, running the same
 * code: the same queue names, the same event types. Before the prefix covered the
 * exchange too, each deployment's consumers received the other's events.
 */
describeWithRabbit('broker names follow AMQP_NAME_PREFIX (RabbitMQ)', () => {
  const tag = randomUUID().slice(0, 8);
  const prefixes = [`${process.env.AMQP_NAME_PREFIX}.a${tag}`, `${process.env.AMQP_NAME_PREFIX}.b${tag}`];
  const queue = 'orders.projection';
  const topic = `t${tag}.order.placed`;
  let contexts: INestApplicationContext[];
  let buses: MessageBus[];
  const received: Array<Array<{ from: string; n: number }>> = [[], []];

  beforeAll(async () => {
    // One after the other: createPlatformContext sets and restores process.env around itself.
    contexts = [];
    for (const prefix of prefixes) {
      contexts.push(await createPlatformContext({ AMQP_URL: process.env.AMQP_URL, AMQP_NAME_PREFIX: prefix }));
    }
    buses = contexts.map((context) => context.get(MessageBus));
    await Promise.all(
      buses.map((bus, i) =>
        bus.consume({ queue, bindings: [topic] }, (m) => {
          received[i].push(m.payload as { from: string; n: number });
          return Promise.resolve();
        }),
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    const connection = await amqplib.connect(process.env.AMQP_URL!);
    const channel = await connection.createChannel();
    for (const prefix of prefixes) {
      const { exchange, queuePrefix } = brokerNames(prefix);
      await channel.deleteQueue(`${queuePrefix}${queue}`);
      await channel.deleteQueue(`${queuePrefix}${queue}.dlq`);
      await channel.deleteExchange(exchange);
      await channel.deleteExchange(`${exchange}.dlx`);
    }
    await connection.close();
  });

  it('declares its exchanges and queues under its own prefix', async () => {
    const connection = await amqplib.connect(process.env.AMQP_URL!);
    try {
      const channel = await connection.createChannel();
      for (const prefix of prefixes) {
        // A check of a missing exchange or queue closes the channel with a 404: the test fails.
        await channel.checkExchange(`${prefix}.events`);
        await channel.checkExchange(`${prefix}.events.dlx`);
        await expect(channel.checkQueue(`${prefix}.${queue}`)).resolves.toMatchObject({ consumerCount: 1 });
        await channel.checkQueue(`${prefix}.${queue}.dlq`);
      }
    } finally {
      await connection.close();
    }
  });

  it('delivers each deployment only its own messages, though queue names and event types are the same', async () => {
    // Both firsts are confirmed (routed) before either last is published: a queue that
    // received the other deployment's first would hold it before its own last.
    await buses[0].publish(message(topic, { from: 'a', n: 1 }));
    await buses[1].publish(message(topic, { from: 'b', n: 1 }));
    await buses[0].publish(message(topic, { from: 'a', n: 2 }));
    await buses[1].publish(message(topic, { from: 'b', n: 2 }));
    await waitFor(() => received.every((list) => list.some((m) => m.n === 2)), 10_000);
    expect(received).toEqual([
      [
        { from: 'a', n: 1 },
        { from: 'a', n: 2 },
      ],
      [
        { from: 'b', n: 1 },
        { from: 'b', n: 2 },
      ],
    ]);
  });
});
