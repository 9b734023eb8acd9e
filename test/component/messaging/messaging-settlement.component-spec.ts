import { BusMessage, MessageBus } from '@app/platform';
import type { INestApplicationContext } from '@nestjs/common';
import amqplib from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { waitFor } from '../../support/api-process';
import { createPlatformContext } from '../../support/platform-context';
import { BrokerWorker, orderEvent } from '../../support/broker-worker';
import { describeWithRabbit } from '../../support/requires';

/** A day of its own per test, far from the days other specs write to. */
const uniqueDay = () =>
  `2043-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`;

/**
 * Every delivery is settled whatever its body: the worker's real consumers on the real
 * broker, fed what a buggy or hostile producer could put on their queues.
 */
describeWithRabbit('message settlement on RabbitMQ (e2e)', () => {
  let worker: BrokerWorker;
  let dataSource: DataSource;
  const sales = async (day: string) =>
    dataSource.query<Array<{ orders: number; units: number; revenue: number }>>(
      `SELECT orders, units, revenue_cents::int AS revenue FROM daily_sales WHERE day = $1 AND currency = 'EUR'`,
      [day],
    );

  beforeAll(async () => {
    worker = await BrokerWorker.start();
    dataSource = worker.context.get(DataSource);
  });

  afterAll(async () => {
    await worker.close();
  });

  it('settles more `null` messages than the prefetch, and a valid order.placed behind them is still applied', async () => {
    const day = uniqueDay();
    for (let i = 0; i < 25; i++) {
      await worker.sendToQueue('reports.sales-rollup', Buffer.from('null'));
    }
    await worker.publish('order.placed', orderEvent(day).body);
    await waitFor(
      async () => (await sales(day)).length === 1,
      20_000,
      () => 'the valid order.placed was never applied: the queue is stalled',
    );
    expect(await sales(day)).toEqual([{ orders: 1, units: 2, revenue: 1234 }]);
    await worker.waitForDeadLetters('reports.sales-rollup', 25);
  });

  it('dead-letters an unknown type with an order-shaped payload, leaving the rollup alone', async () => {
    const day = uniqueDay();
    const before = await worker.ready(`${worker.queue('reports.sales-rollup')}.dlq`);
    await worker.sendToQueue('reports.sales-rollup', orderEvent(day, {}, 'totally.unknown').body);
    // Routed as an order.placed, but its envelope says otherwise.
    const disguised = JSON.parse(orderEvent(day).body.toString()) as BusMessage;
    await worker.publish('order.placed', Buffer.from(JSON.stringify({ ...disguised, type: 'totally.unknown' })));
    await worker.waitForDeadLetters('reports.sales-rollup', before + 2);
    expect(await sales(day)).toEqual([]);
  });

  it('dead-letters an order.placed whose quantities are beyond the contract, leaving the rollup alone', async () => {
    const day = uniqueDay();
    const before = await worker.ready(`${worker.queue('reports.sales-rollup')}.dlq`);
    const huge = orderEvent(day, {
      items: [{ productId: randomUUID(), quantity: 1_000_000, unitPriceCents: 1 }],
      totalCents: 1_000_000,
    });
    await worker.publish('order.placed', huge.body);
    const inconsistent = orderEvent(day, { totalCents: 999_999 });
    await worker.publish('order.placed', inconsistent.body);
    await worker.waitForDeadLetters('reports.sales-rollup', before + 2);
    expect(await sales(day)).toEqual([]);
    const processed = await dataSource.query(`SELECT 1 FROM processed_events WHERE event_id = ANY($1)`, [
      [huge.id, inconsistent.id],
    ]);
    expect(processed).toEqual([]);
  });
});

describeWithRabbit('the x-attempt header on RabbitMQ (e2e)', () => {
  let context: INestApplicationContext;
  let connection: amqplib.ChannelModel;
  let channel: amqplib.ConfirmChannel;
  const prefix = `${process.env.AMQP_NAME_PREFIX}.`;

  beforeAll(async () => {
    context = await createPlatformContext({
      AMQP_URL: process.env.AMQP_URL,
      AMQP_RETRY_DELAY_MS: '10',
      AMQP_MAX_DELIVERY_ATTEMPTS: '3',
    });
    connection = await amqplib.connect(process.env.AMQP_URL!);
    channel = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await context.close();
    await connection.close();
  });

  // 'NaN' is what a NaN reaches the consumer as; RabbitMQ itself refuses a NaN double in a header.
  it.each<[unknown]>([['NaN'], ['abc'], [0], [-1], [1.5], [true]])(
    'counts x-attempt %p as the last attempt: one failure dead-letters it',
    async (header) => {
      const topic = `t${randomUUID().slice(0, 8)}`;
      const queue = `${prefix}${topic}.q`;
      let calls = 0;
      await context.get(MessageBus).consume({ queue: `${topic}.q`, bindings: [topic] }, () => {
        calls++;
        return Promise.reject(new Error('always fails'));
      });
      const message: BusMessage = { id: uuidv7(), type: topic, occurredAt: new Date().toISOString(), payload: {} };
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), { headers: { 'x-attempt': header } });
      await channel.waitForConfirms();
      await waitFor(
        async () => (await channel.checkQueue(`${queue}.dlq`)).messageCount === 1,
        10_000,
        () => `handler ran ${calls} times`,
      );
      expect(calls).toBe(1);
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
      await channel.deleteQueue(queue);
      await channel.deleteQueue(`${queue}.dlq`);
    },
  );
});
