import { BusMessage, Database, MessageBus, OutboxRelay, OutboxRepository } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { waitFor } from '../../support/api-process';
import { createPlatformContext } from '../../support/platform-context';
import { TcpProxy } from '../../support/tcp-proxy';
import { describeWithRabbit } from '../../support/requires';

describe('transactional outbox', () => {
  let context: INestApplicationContext;

  beforeAll(async () => {
    context = await createPlatformContext({ AMQP_URL: undefined });
  });

  afterAll(async () => {
    await context.close();
  });

  it('publishes a message if and only if its transaction committed', async () => {
    const txHost = context.get(TransactionHost);
    const outbox = context.get(OutboxRepository);
    const bus = context.get(MessageBus);
    const topic = `t${randomUUID().slice(0, 8)}`;
    const received: BusMessage[] = [];
    await bus.consume({ queue: `${topic}.q`, bindings: [`${topic}.*`] }, (m) => {
      received.push(m);
      return Promise.resolve();
    });

    const committed = await txHost.withTransaction(() => outbox.enqueue(`${topic}.committed`, { n: 1 }));
    await expect(
      txHost.withTransaction(async () => {
        await outbox.enqueue(`${topic}.rolled-back`, { n: 2 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');

    await context.get(OutboxRelay).publishDue();
    await waitFor(() => received.length >= 1, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((m) => m.id)).toEqual([committed.id]);
    expect(received[0]).toMatchObject({ type: `${topic}.committed`, payload: { n: 1 } });
  });

  it("delivers in-process messages outside the relay's transaction, each handler in its own", async () => {
    const txHost = context.get(TransactionHost);
    const outbox = context.get(OutboxRepository);
    const topic = `t${randomUUID().slice(0, 8)}`;
    const seen: Array<{ inheritedTransaction: boolean; backend: number }> = [];
    await context.get(MessageBus).consume({ queue: `${topic}.q`, bindings: [`${topic}.*`] }, async () => {
      // The relay publishes inside its transaction; a handler that inherited it would join it
      // (and share, and outlive, the relay's connection).
      const inheritedTransaction = txHost.isTransactionActive();
      const backend = await txHost.withTransaction(
        async () => (await context.get(Database).one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!.pid,
      );
      seen.push({ inheritedTransaction, backend });
    });
    for (let i = 0; i < 3; i++) {
      await txHost.withTransaction(() => outbox.enqueue(`${topic}.event`, { i }));
    }
    await context.get(OutboxRelay).publishDue();
    await waitFor(() => seen.length >= 3, 5_000);
    expect(seen.map((s) => s.inheritedTransaction)).toEqual([false, false, false]);
    expect(seen.every((s) => Number.isInteger(s.backend))).toBe(true);
  });

  it('refuses an event outside a transaction: its change could roll back without it', async () => {
    await expect(context.get(OutboxRepository).enqueue('anything.happened', {})).rejects.toThrow(
      /inside the transaction/,
    );
  });
});

describeWithRabbit('transactional outbox with the broker down', () => {
  it('keeps messages while RabbitMQ is unreachable and publishes each exactly once when it returns', async () => {
    const proxy = await TcpProxy.forUrl(process.env.AMQP_URL!).start();
    const publisher = await createPlatformContext({ AMQP_URL: proxy.rewrite(process.env.AMQP_URL!) });
    const consumer = await createPlatformContext({ AMQP_URL: process.env.AMQP_URL });
    try {
      const topic = `t${randomUUID().slice(0, 8)}`;
      const received: string[] = [];
      await consumer.get(MessageBus).consume({ queue: `${topic}.q`, bindings: [`${topic}.#`] }, (m) => {
        received.push(m.id);
        return Promise.resolve();
      });

      proxy.cut();
      await waitFor(() => !publisher.get(MessageBus).isConnected(), 10_000);
      const dataSource = publisher.get(DataSource);
      const outbox = publisher.get(OutboxRepository);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push(
          (await publisher.get(TransactionHost).withTransaction(() => outbox.enqueue(`${topic}.event`, { i }))).id,
        );
      }
      const relay = publisher.get(OutboxRelay);
      expect(await relay.publishDue()).toBe(0);
      const pending = await dataSource.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM outbox_messages WHERE id = ANY($1) AND published_at IS NULL',
        [ids],
      );
      expect(pending[0].n).toBe(5);

      proxy.restore();
      await publisher.get(MessageBus).waitUntilConnected(10_000);
      await waitFor(async () => (await relay.publishDue()) >= 0 && received.length >= 5, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received.sort()).toEqual([...ids].sort());
    } finally {
      await publisher.close();
      await consumer.close();
      await proxy.stop();
    }
  });
});
