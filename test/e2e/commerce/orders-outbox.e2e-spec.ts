import { BusMessage, MessageBus, OutboxRelay } from '@app/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { waitFor } from '../../support/api-process';
import { adminEnv, login } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../../support/commerce-fixtures';
import { createPlatformContext } from '../../support/platform-context';
import { TcpProxy } from '../../support/tcp-proxy';
import { createTestApp } from '../../support/test-app';
import { describeWithRabbit } from '../../support/requires';

describeWithRabbit('order.placed through the outbox with the broker down (e2e)', () => {
  it('commits the order while RabbitMQ is unreachable and delivers its event once it returns', async () => {
    const proxy = await TcpProxy.forUrl(process.env.AMQP_URL!).start();
    const env = adminEnv();
    const app = await createTestApp({ ...env, AMQP_URL: proxy.rewrite(process.env.AMQP_URL!) });
    const listener = await createPlatformContext({ AMQP_URL: process.env.AMQP_URL });
    try {
      const received: BusMessage[] = [];
      await listener
        .get(MessageBus)
        .consume({ queue: `orders-test-${randomUUID().slice(0, 8)}`, bindings: ['order.placed'] }, (m) => {
          received.push(m);
          return Promise.resolve();
        });
      const admin = await login(app, env.ADMIN_EMAIL);
      const product = await createProduct(app, admin.accessToken);
      const warehouse = await createWarehouse(app, admin.accessToken);
      await addStock(app, admin.accessToken, product.id, warehouse.id, 3);

      proxy.cut();
      await waitFor(() => !app.get(MessageBus).isConnected(), 10_000);
      const placed = await placeOrder(app, admin.accessToken, [{ productId: product.id, quantity: 1 }]);
      expect(placed.statusCode).toBe(201);
      const orderId = placed.json().id;
      const [row] = await app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM outbox_messages WHERE payload->>'id' = $1 AND published_at IS NULL`, [
          orderId,
        ]);
      expect(row.n).toBe(1);

      proxy.restore();
      await app.get(MessageBus).waitUntilConnected(10_000);
      await waitFor(async () => {
        await app.get(OutboxRelay).publishDue();
        return received.some((m) => (m.payload as { id: string }).id === orderId);
      }, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received.filter((m) => (m.payload as { id: string }).id === orderId)).toHaveLength(1);
    } finally {
      await app.close();
      await listener.close();
      await proxy.stop();
    }
  });
});
