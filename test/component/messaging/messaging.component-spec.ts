import { BusMessage, defineEvent, DeliveryInfo, InvalidMessageError, MessageBus } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { waitFor } from '../../support/api-process';
import { createPlatformContext } from '../../support/platform-context';
import { describeWithRabbit } from '../../support/requires';

function message(type: string, payload: unknown = {}): BusMessage {
  return { id: uuidv7(), type, occurredAt: new Date().toISOString(), payload };
}

/** The same contract on RabbitMQ (when AMQP_URL is set, as in CI) and on the in-process bus. */
const transports: Array<[string, Record<string, string | undefined>]> = [
  ['in-process', { AMQP_URL: undefined, AMQP_RETRY_DELAY_MS: '10' }],
];
if (process.env.AMQP_URL) {
  transports.unshift(['rabbitmq', { AMQP_URL: process.env.AMQP_URL, AMQP_RETRY_DELAY_MS: '10' }]);
}

describe.each(transports)('MessageBus over %s', (transport, env) => {
  let context: INestApplicationContext;
  let bus: MessageBus;

  beforeAll(async () => {
    context = await createPlatformContext(env);
    bus = context.get(MessageBus);
  });

  afterAll(async () => {
    await context.close();
  });

  it('reports its transport and connection', () => {
    expect(bus.transport).toBe(transport);
    expect(bus.isConnected()).toBe(true);
  });

  it('routes by topic pattern to every bound queue, each getting its own copy', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    const received: Record<string, string[]> = { all: [], placed: [] };
    await bus.consume({ queue: `${topic}.all`, bindings: [`${topic}.#`] }, (m) => {
      received.all.push(m.type);
      return Promise.resolve();
    });
    await bus.consume({ queue: `${topic}.placed`, bindings: [`${topic}.*.placed`] }, (m) => {
      received.placed.push(m.type);
      return Promise.resolve();
    });
    await bus.publish(message(`${topic}.order.placed`));
    await bus.publish(message(`${topic}.order.cancelled`));
    await waitFor(() => received.all.length === 2 && received.placed.length === 1, 10_000);
    expect(received.all.sort()).toEqual([`${topic}.order.cancelled`, `${topic}.order.placed`]);
    expect(received.placed).toEqual([`${topic}.order.placed`]);
  });

  it('retries a failing handler and delivers the same message id again', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    const deliveries: Array<{ id: string; info: DeliveryInfo }> = [];
    await bus.consume({ queue: `${topic}.retry`, bindings: [topic], maxAttempts: 3 }, (m, info) => {
      deliveries.push({ id: m.id, info });
      return info.attempt < 3 ? Promise.reject(new Error('transient')) : Promise.resolve();
    });
    const sent = message(topic, { n: 1 });
    await bus.publish(sent);
    await waitFor(() => deliveries.length === 3, 10_000);
    expect(deliveries.map((d) => d.id)).toEqual([sent.id, sent.id, sent.id]);
    expect(deliveries.map((d) => d.info.attempt)).toEqual([1, 2, 3]);
  });

  it('dead-letters a message after the last attempt instead of retrying forever', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    let attempts = 0;
    await bus.consume({ queue: `${topic}.poison`, bindings: [topic], maxAttempts: 2 }, () => {
      attempts++;
      return Promise.reject(new Error('always fails'));
    });
    await bus.publish(message(topic));
    await waitFor(() => attempts === 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts).toBe(2);
  });

  /** How many messages `queue` has dead-lettered, on either transport. */
  const deadLettered = async (queue: string): Promise<number> => {
    if (transport === 'in-process') {
      return (bus as unknown as { deadLetters: Array<{ queue: string }> }).deadLetters.filter(
        (dead) => dead.queue === queue,
      ).length;
    }
    const amqplib = await import('amqplib');
    const connection = await amqplib.connect(process.env.AMQP_URL!);
    try {
      const channel = await connection.createChannel();
      return (await channel.checkQueue(`${process.env.AMQP_NAME_PREFIX}.${queue}.dlq`)).messageCount;
    } finally {
      await connection.close();
    }
  };

  it('dead-letters at once, without retrying, a message the handler reports as invalid', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    let calls = 0;
    await bus.consume({ queue: `${topic}.q`, bindings: [topic], maxAttempts: 5 }, () => {
      calls++;
      return Promise.reject(new InvalidMessageError('can never succeed'));
    });
    await bus.publish(message(topic));
    await waitFor(async () => (await deadLettered(`${topic}.q`)) === 1, 10_000);
    expect(calls).toBe(1);
  });

  it('consumeEvents hands the handler only payloads that pass the contract, and dead-letters the rest', async () => {
    const topic = `t${randomUUID().slice(0, 8)}`;
    const Counted = defineEvent(`${topic}.counted`, z.object({ n: z.int().min(1).max(10) }));
    const seen: number[] = [];
    await bus.consumeEvents({ queue: `${topic}.q`, events: [Counted] }, (event) => {
      seen.push(event.payload.n);
      return Promise.resolve();
    });
    for (const payload of [null, [], { n: '3' }, { n: 1_000_000 }, {}]) {
      await bus.publish(message(Counted.type, payload));
    }
    await bus.publish(message(Counted.type, { n: 3 }));
    await waitFor(async () => (await deadLettered(`${topic}.q`)) === 5 && seen.length === 1, 10_000);
    expect(seen).toEqual([3]);
  });

  it('refuses to publish a message without a valid envelope', async () => {
    await expect(bus.publish(null as unknown as BusMessage)).rejects.toThrow(InvalidMessageError);
    await expect(bus.publish({ ...message('t.x'), id: 'not-a-uuid' })).rejects.toThrow(InvalidMessageError);
  });
});

describeWithRabbit('RabbitMQ dead-letter queue', () => {
  it('moves the poisoned message into <queue>.dlq, where it can be inspected', async () => {
    const context = await createPlatformContext({ AMQP_URL: process.env.AMQP_URL, AMQP_RETRY_DELAY_MS: '10' });
    const amqplib = await import('amqplib');
    const connection = await amqplib.connect(process.env.AMQP_URL!);
    try {
      const bus = context.get(MessageBus);
      const topic = `t${randomUUID().slice(0, 8)}`;
      await bus.consume({ queue: `${topic}.q`, bindings: [topic], maxAttempts: 1 }, () =>
        Promise.reject(new Error('poison')),
      );
      const sent = message(topic, { poisoned: true });
      await bus.publish(sent);

      const channel = await connection.createChannel();
      const dlq = `${process.env.AMQP_NAME_PREFIX}.${topic}.q.dlq`;
      let dead: false | { content: Buffer } = false;
      await waitFor(async () => {
        dead = await channel.get(dlq, { noAck: true });
        return dead !== false;
      }, 10_000);
      expect(JSON.parse((dead as unknown as { content: Buffer }).content.toString())).toMatchObject({
        id: sent.id,
        payload: { poisoned: true },
      });
      await channel.deleteQueue(dlq);
      await channel.deleteQueue(`${process.env.AMQP_NAME_PREFIX}.${topic}.q`);
    } finally {
      await connection.close();
      await context.close();
    }
  });
});

describeWithRabbit('RabbitMQ graceful close', () => {
  it('lets a delivery being handled finish and settle before the channels close: nothing goes back to the queue', async () => {
    const context = await createPlatformContext({ AMQP_URL: process.env.AMQP_URL });
    const amqplib = await import('amqplib');
    const connection = await amqplib.connect(process.env.AMQP_URL!);
    const channel = await connection.createChannel();
    const topic = `t${randomUUID().slice(0, 8)}`;
    const queue = `${process.env.AMQP_NAME_PREFIX}.${topic}.q`;
    try {
      const bus = context.get(MessageBus);
      let started = 0;
      let finished = 0;
      await bus.consume({ queue: `${topic}.q`, bindings: [topic] }, async () => {
        started++;
        // Work still under way when the close begins (a commit, then the ack).
        await new Promise((resolve) => setTimeout(resolve, 700));
        finished++;
      });
      await bus.publish(message(topic));
      await waitFor(() => started === 1, 10_000);
      await context.close();
      expect(finished).toBe(1);
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    } finally {
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteQueue(`${queue}.dlq`).catch(() => undefined);
      await connection.close();
      await context.close().catch(() => undefined);
    }
  });
});
