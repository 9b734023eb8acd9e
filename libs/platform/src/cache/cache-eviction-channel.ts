import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { redisConfig } from '../config/redis.config';
import { ROOT_LOGGER } from '../logging/root-logger';
import { REDIS_CLIENT, RedisClient } from '../redis/redis-client';
import { withTimeout } from './with-timeout';

/** Keys to drop from every process's local cache layer; `all` drops everything. */
export type CacheEviction = { keys: string[] } | { all: true };

/** On the wire: the eviction, who sent it and its number, so receivers can acknowledge it. */
type EvictionMessage = { keys?: string[]; all?: true; from?: string; seq?: number };

interface AckWaiter {
  received: number;
  /** Known once PUBLISH returns how many subscribers it reached. */
  expected?: number;
  done: () => void;
}

const SUBSCRIBE_WAIT_MS = 3_000;

/**
 * Carries cache invalidations to every process (PM2 workers, several hosts) over Redis
 * pub/sub, so that a process-local copy (CacheAside's `localTtlMs`) is dropped at once
 * everywhere, not only where the write happened. Without REDIS_URL there is no shared
 * cache and the one process evicts its own copy directly.
 *
 * `publish` resolves once every subscribed process has acknowledged that it dropped
 * the keys (bounded by CACHE_COMMAND_TIMEOUT_MS): a message only delivered to a
 * socket could still lose the race against the next request another process
 * serves, and "at once" would then be "almost always at once".
 *
 * A subscriber that is disconnected may miss messages: while it is, `isLive` is false
 * (callers must not trust local copies), and when it is back every listener is told
 * to drop everything.
 */
@Injectable()
export class CacheEvictionChannel implements OnModuleInit, OnApplicationShutdown {
  private readonly channel: string;
  /** This process's own channel, where the others acknowledge its evictions. */
  private readonly ackChannel: string;
  private readonly id = randomUUID();
  private seq = 0;
  private readonly awaitingAcks = new Map<number, AckWaiter>();
  private readonly listeners = new Set<(eviction: CacheEviction) => void>();
  private subscriber: RedisClient | null = null;
  private subscribed = false;
  private subscribing = false;
  /** One function for every (re)subscription: the client keeps listeners in a Set. */
  private readonly onMessage = (message: string) => this.receive(message);
  private readonly onAck = (message: string) => this.acknowledged(Number(message));

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.channel = `${config.keyPrefix}:cache:evict`;
    this.ackChannel = `${this.channel}:ack:${this.id}`;
  }

  /** True while every eviction published anywhere reaches this process. */
  get isLive(): boolean {
    return this.redis === null || (this.subscribed && this.subscriber?.isReady === true);
  }

  onEviction(listener: (eviction: CacheEviction) => void): void {
    this.listeners.add(listener);
  }

  /** Tells every process; resolves once each subscriber has acknowledged it, or on timeout. */
  async publish(eviction: CacheEviction): Promise<void> {
    if (!this.redis?.isReady) {
      return;
    }
    const seq = ++this.seq;
    let done!: () => void;
    const acknowledged = new Promise<void>((resolve) => (done = resolve));
    // Registered before publishing: an acknowledgement may arrive before PUBLISH returns.
    const waiter: AckWaiter = { received: 0, done };
    this.awaitingAcks.set(seq, waiter);
    try {
      // Acknowledgements come to our own subscriber: without a live one, delivery is all we know.
      const from = this.isLive ? this.id : undefined;
      const message: EvictionMessage = { ...eviction, from, seq };
      const receivers = await withTimeout(
        this.redis.publish(this.channel, JSON.stringify(message)),
        this.config.commandTimeoutMs,
        'cache eviction publish',
      );
      if (from !== undefined) {
        waiter.expected = receivers;
        if (waiter.received < receivers) {
          await withTimeout(acknowledged, this.config.commandTimeoutMs, 'cache eviction acknowledgements');
        }
      }
    } catch (error) {
      // Other processes' local copies then expire by their (short) TTL.
      this.logger.error({ err: error }, 'cache eviction publish failed');
    } finally {
      this.awaitingAcks.delete(seq);
    }
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) {
      return;
    }
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    let lastError = '';
    subscriber.on('error', (error: Error) => {
      if (error.message !== lastError) {
        lastError = error.message;
        this.logger.warn({ err: error }, 'cache eviction subscriber error');
      }
    });
    subscriber.on('ready', () => {
      lastError = '';
      if (this.subscribed) {
        // Back after a disconnection (the client resubscribed): messages may have been missed.
        this.deliver({ all: true });
      } else {
        void this.subscribe();
      }
    });
    const connecting = subscriber.connect().then(
      () => this.subscribe(),
      (error: unknown) => this.logger.warn({ err: error }, 'cache eviction subscriber connect failed; retrying'),
    );
    // Start-up never waits long for Redis: until subscribed, local copies are not used.
    await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber?.isOpen) {
      await subscriber.close().catch(() => subscriber.destroy());
    }
  }

  private async subscribe(): Promise<void> {
    const subscriber = this.subscriber;
    if (this.subscribed || this.subscribing || !subscriber?.isReady) {
      return;
    }
    this.subscribing = true;
    try {
      await subscriber.subscribe(this.ackChannel, this.onAck);
      await subscriber.subscribe(this.channel, this.onMessage);
      this.subscribed = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'cache eviction subscribe failed; retrying on reconnect');
    } finally {
      this.subscribing = false;
    }
  }

  private receive(raw: string): void {
    const message = parse(raw);
    // Our own evictions were applied before they were published; applying the echo again
    // could land after a later load and drop a fresh entry.
    if (message.from !== this.id) {
      this.deliver(message.eviction);
    }
    if (message.from === undefined || message.seq === undefined) {
      return;
    }
    if (message.from === this.id) {
      // Our own subscriber is one of the receivers PUBLISH counted: acknowledged here, no round trip.
      this.acknowledged(message.seq);
    } else if (this.redis?.isReady) {
      // Dropped synchronously above, so the sender may now tell its caller the write is visible everywhere.
      this.redis.publish(`${this.channel}:ack:${message.from}`, String(message.seq)).catch(() => undefined);
    }
  }

  private acknowledged(seq: number): void {
    const waiter = this.awaitingAcks.get(seq);
    if (waiter) {
      waiter.received++;
      if (waiter.expected !== undefined && waiter.received >= waiter.expected) {
        waiter.done();
      }
    }
  }

  private deliver(eviction: CacheEviction | null): void {
    for (const listener of this.listeners) {
      listener(eviction ?? { all: true });
    }
  }
}

function parse(raw: string): { eviction: CacheEviction | null; from?: string; seq?: number } {
  try {
    const value = JSON.parse(raw) as { keys?: unknown; from?: unknown; seq?: unknown };
    const from = typeof value.from === 'string' ? value.from : undefined;
    const seq = typeof value.seq === 'number' ? value.seq : undefined;
    if (Array.isArray(value.keys) && value.keys.every((key) => typeof key === 'string')) {
      return { eviction: { keys: value.keys }, from, seq };
    }
    return { eviction: null, from, seq };
  } catch {
    // Not ours or damaged: dropping everything is the safe answer.
    return { eviction: null };
  }
}
