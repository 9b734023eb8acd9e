/** An event or command as it travels between the API, the worker and the broker. */
export interface BusMessage<T = unknown> {
  /** Unique id (UUID v7); consumers use it to stay idempotent under redelivery. */
  id: string;
  /** Routing key, e.g. `order.placed`. */
  type: string;
  occurredAt: string;
  payload: T;
}

export interface DeliveryInfo {
  /** 1 for the first delivery. */
  attempt: number;
  /** True when the broker delivers it again (e.g. after a consumer crashed before acking). */
  redelivered: boolean;
}

export type MessageHandler = (message: BusMessage, delivery: DeliveryInfo) => Promise<void>;

export interface ConsumerOptions {
  /** Durable queue name, one per consumer purpose, e.g. `reports.sales-rollup`. */
  queue: string;
  /** Topic patterns (`order.*`, `report.#`) the queue receives. */
  bindings: string[];
  /** Deliveries before the message is dead-lettered; the configured default when omitted. */
  maxAttempts?: number;
}

/**
 * The one messaging interface the features use. RabbitMQ when AMQP_URL is set
 * (durable queues, manual acks, dead-letter queues, publisher confirms), an
 * in-process bus otherwise, so every feature works from `npm start` alone.
 */
export abstract class MessageBus {
  abstract readonly transport: 'rabbitmq' | 'in-process';

  /** Resolves once the broker has confirmed the message; rejects if it cannot. */
  abstract publish(message: BusMessage): Promise<void>;

  /** Starts consuming; a handler that throws is retried, then dead-lettered. */
  abstract consume(options: ConsumerOptions, handler: MessageHandler): Promise<void>;

  /** Waits (at most `timeoutMs`) for the broker at start-up; a broker that is down does not stop the app. */
  abstract waitUntilConnected(timeoutMs: number): Promise<boolean>;

  /** Whether the bus can currently reach its broker (for /health/ready). */
  abstract isConnected(): boolean;

  abstract close(): Promise<void>;
}
