// autocannon ships no types; this is the slice of its result the resilience tests read.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: object) => LoadInstance;

interface LoadInstance extends PromiseLike<Omit<LoadResult, 'errorCodes'>> {
  stop(): void;
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void,
  ): void;
  on(event: 'reqError', listener: (error: Error & { code?: string }) => void): void;
}

export interface LoadResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  /** Connection errors by code (ECONNRESET, ECONNREFUSED...), for the failure message. */
  errorCodes: Record<string, number>;
}

export interface LoadOptions {
  port: number;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  /** Seconds; the load is normally stopped by `steadyLoad`'s caller before this. */
  maxDuration?: number;
  /** Per-request timeout in seconds: an answer slower than this counts as a timeout. */
  timeout?: number;
}

/**
 * Steady keep-alive load from autocannon (no pipelining) while `during` injects a
 * fault; the load stops when `during` settles. Returns autocannon's counts: a reset
 * or refused connection is an `error`, an answer past `timeout` s a `timeout`.
 */
export async function steadyLoad<T>(
  options: LoadOptions,
  during: (load: { statuses: number[]; errorCodes: Record<string, number> }) => Promise<T>,
): Promise<{ result: LoadResult; value: T }> {
  const statuses: number[] = [];
  const instance = autocannon({
    url: `http://127.0.0.1:${options.port}${options.path}`,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 20,
    pipelining: 1,
    duration: options.maxDuration ?? 120,
    timeout: options.timeout ?? 10,
  });
  const errorCodes: Record<string, number> = {};
  instance.on('response', (_client, statusCode) => statuses.push(statusCode));
  instance.on('reqError', (error) => {
    const code = error.code ?? error.message;
    errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  });
  let value: T;
  try {
    value = await during({ statuses, errorCodes });
  } finally {
    instance.stop();
  }
  const result = { ...(await instance), errorCodes };
  return { result, value };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
