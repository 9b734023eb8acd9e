import { createClient } from '@redis/client';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createFailFastClient>;

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * A Redis client that fails fast while Redis is down (no offline queue: a command
 * sent while disconnected rejects at once instead of piling up) and reconnects by
 * itself with capped backoff, so callers can fail open and recover without a restart.
 */
export async function connectRedis(url: string, logger: Logger, connectWaitMs = 3_000): Promise<RedisClient> {
  const client = createFailFastClient(url);
  let lastError = '';
  client.on('error', (error: Error) => {
    // Without a listener an 'error' event would crash the process; log each new kind once.
    if (error.message !== lastError) {
      lastError = error.message;
      logger.warn({ err: error }, 'redis connection error');
    }
  });
  client.on('ready', () => {
    if (lastError !== '') {
      logger.info('redis connection restored');
    }
    lastError = '';
  });
  // Starting while Redis is down must not stop the API: it serves from PostgreSQL
  // and the client keeps reconnecting in the background.
  const connecting = client.connect().then(
    () => true,
    (error: unknown) => {
      logger.warn({ err: error }, 'redis connect failed');
      return false;
    },
  );
  const connected = await Promise.race([connecting, delay(connectWaitMs).then(() => false)]);
  if (!connected) {
    logger.warn('redis not reachable at start-up; continuing without cache until it is');
  }
  return client;
}

function createFailFastClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
    },
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
