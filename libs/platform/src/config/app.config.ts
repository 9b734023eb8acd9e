import { registerAs } from '@nestjs/config';
import { z } from 'zod';
import { env, parseEnv } from './env-schema';
import { trustProxySetting } from './trust-proxy';

export const appConfig = registerAs('app', () => {
  const vars = parseEnv('app', {
    // Unset means development: `npm start` on a laptop. Deployments set production.
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: env.int(3000, 0, 65535),
    HOST: z.string().default('0.0.0.0'),
    // Which peers' X-Forwarded-For is believed (trust-proxy.ts): the client address of rate limits.
    TRUST_PROXY: trustProxySetting,
    CORS_ORIGINS: env.list(''),
    BODY_LIMIT_BYTES: env.int(1024 * 1024, 1024),
    SHUTDOWN_TIMEOUT_MS: env.int(10_000, 100),
    // A client must send its whole request head within HTTP_HEADERS_TIMEOUT_MS and its
    // whole request within HTTP_REQUEST_TIMEOUT_MS, or the socket is closed (slowloris).
    HTTP_HEADERS_TIMEOUT_MS: env.int(10_000, 100),
    HTTP_REQUEST_TIMEOUT_MS: env.int(30_000, 100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SWAGGER_ENABLED: env.bool(true),
    // How long an in-progress Idempotency-Key is held before a retry may take it
    // over: longer than any request can run (statement timeout included).
    IDEMPOTENCY_LEASE_MS: env.int(60_000, 1_000),
    // Prometheus scrapes a listener of its own, never the public port. In a PM2
    // cluster each worker adds its NODE_APP_INSTANCE, so every worker is scraped.
    METRICS_PORT: env.int(9464, 0, 65535),
    METRICS_HOST: z.string().default('127.0.0.1'),
    NODE_APP_INSTANCE: env.int(0, 0, 1024),
    // The worker rewrites this file every 10 s for a container healthcheck (it serves
    // no HTTP); empty: no file.
    WORKER_HEARTBEAT_FILE: z.string().default(''),
  });
  return {
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    trustProxy: vars.TRUST_PROXY,
    corsOrigins: vars.CORS_ORIGINS,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    headersTimeoutMs: Math.min(vars.HTTP_HEADERS_TIMEOUT_MS, vars.HTTP_REQUEST_TIMEOUT_MS),
    requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS,
    logLevel: vars.LOG_LEVEL,
    swaggerEnabled: vars.SWAGGER_ENABLED,
    idempotencyLeaseMs: vars.IDEMPOTENCY_LEASE_MS,
    metrics: {
      // 0 picks a free port (tests); otherwise one port per cluster worker.
      port: vars.METRICS_PORT === 0 ? 0 : vars.METRICS_PORT + vars.NODE_APP_INSTANCE,
      host: vars.METRICS_HOST,
    },
    workerHeartbeatFile: vars.WORKER_HEARTBEAT_FILE || undefined,
  };
});

export type AppConfig = ReturnType<typeof appConfig>;
