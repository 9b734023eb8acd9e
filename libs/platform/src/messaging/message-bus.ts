import { describeIssues, EventContract, EventOf, InvalidMessageError } from './event-contract';

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

export interface EventConsumerOptions<C extends readonly EventContract[]> {
  /** Durable queue name, one per consumer purpose, e.g. `reports.sales-rollup`. */
  queue: string;
  /** The event types the queue accepts: its bindings, and the schemas payloads must pass. */
  events: C;
  /** Deliveries before the message is dead-lettered; the configured default when omitted. */
  maxAttempts?: number;
}

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

  /**
   * Starts consuming; every delivery is settled whatever its body: garbage, a type
   * the bindings do not match, or an `InvalidMessageError` from the handler is
   * dead-lettered at once; a handler that throws anything else is retried, then
   * dead-lettered.
   */
  abstract consume(options: ConsumerOptions, handler: MessageHandler): Promise<void>;

  /**
   * Consumes declared event types only: the queue is bound to exactly those types, and
   * a payload its contract's schema rejects is dead-lettered without reaching the
   * handler, which gets the parsed, typed event.
   */
  consumeEvents<const C extends readonly EventContract[]>(
    options: EventConsumerOptions<C>,
    handler: (event: EventOf<C[number]>, delivery: DeliveryInfo) => Promise<void>,
  ): Promise<void> {
    const contracts = new Map<string, EventContract>(options.events.map((contract) => [contract.type, contract]));
    return this.consume(
      { queue: options.queue, bindings: [...contracts.keys()], maxAttempts: options.maxAttempts },
      async (message, delivery) => {
        const contract = contracts.get(message.type);
        if (!contract) {
          throw new InvalidMessageError(`type ${message.type} is not accepted by ${options.queue}`);
        }
        const parsed = contract.schema.safeParse(message.payload);
        if (!parsed.success) {
          throw new InvalidMessageError(`${message.type} payload: ${describeIssues(parsed.error)}`);
        }
        await handler({ ...message, payload: parsed.data } as EventOf<C[number]>, delivery);
      },
    );
  }

  /** Waits (at most `timeoutMs`) for the broker at start-up; a broker that is down does not stop the app. */
  abstract waitUntilConnected(timeoutMs: number): Promise<boolean>;

  /** Whether the bus can currently reach its broker (for /health/ready). */
  abstract isConnected(): boolean;

  abstract close(): Promise<void>;
}
