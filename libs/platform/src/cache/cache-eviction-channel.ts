import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { redisConfig } from '../config/redis.config';
import { ROOT_LOGGER } from '../logging/root-logger';
import { REDIS_CLIENT, RedisClient } from '../redis/redis-client';
import { withTimeout } from './with-timeout';

/** Keys to drop from every process's local cache layer; `all` drops everything. */
export type CacheEviction = { keys: string[] } | { all: true };

const SUBSCRIBE_WAIT_MS = 3_000;

/**
 * Carries cache invalidations to every process (PM2 workers, several hosts) over Redis
 * pub/sub, so that a process-local copy (CacheAside's `localTtlMs`) is dropped at once
 * everywhere, not only where the write happened. Without REDIS_URL there is no shared
 * cache and the one process evicts its own copy directly.
 *
 * A subscriber that is disconnected may miss messages: while it is, `isLive` is false
 * (callers must not trust local copies), and when it is back every listener is told
 * to drop everything.
 */
@Injectable()
export class CacheEvictionChannel implements OnModuleInit, OnApplicationShutdown {
  private readonly channel: string;
  private readonly listeners = new Set<(eviction: CacheEviction) => void>();
  private subscriber: RedisClient | null = null;
  private subscribed = false;
  private subscribing = false;
  /** One function for every (re)subscription: the client keeps listeners in a Set. */
  private readonly onMessage = (message: string) => this.deliver(parse(message));

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.channel = `${config.keyPrefix}:cache:evict`;
  }

  /** True while every eviction published anywhere reaches this process. */
  get isLive(): boolean {
    return this.redis === null || (this.subscribed && this.subscriber?.isReady === true);
  }

  onEviction(listener: (eviction: CacheEviction) => void): void {
    this.listeners.add(listener);
  }

  /** Tells every other process; resolves once Redis has delivered it (or the attempt failed). */
  async publish(eviction: CacheEviction): Promise<void> {
    if (!this.redis?.isReady) {
      return;
    }
    try {
      await withTimeout(
        this.redis.publish(this.channel, JSON.stringify(eviction)),
        this.config.commandTimeoutMs,
        'cache eviction publish',
      );
    } catch (error) {
      // Other processes' local copies then expire by their (short) TTL.
      this.logger.error({ err: error }, 'cache eviction publish failed');
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
      await subscriber.subscribe(this.channel, this.onMessage);
      this.subscribed = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'cache eviction subscribe failed; retrying on reconnect');
    } finally {
      this.subscribing = false;
    }
  }

  private deliver(eviction: CacheEviction | null): void {
    for (const listener of this.listeners) {
      listener(eviction ?? { all: true });
    }
  }
}

function parse(message: string): CacheEviction | null {
  try {
    const value = JSON.parse(message) as { keys?: unknown; all?: unknown };
    if (Array.isArray(value.keys) && value.keys.every((key) => typeof key === 'string')) {
      return { keys: value.keys };
    }
  } catch {
    // Not ours or damaged: dropping everything is the safe answer.
  }
  return null;
}
