// The environment every benchmark script starts the built API with: production mode (it
// fails closed without a real DATABASE_URL and a proper JWT_SECRET and MFA_ENCRYPTION_KEY: see
// libs/platform/src/config/production-guard.ts), one process against real PostgreSQL and
// Redis, quiet logs, and rate limits high enough that the
// load generator is never throttled. Access tokens live an hour: a full run with its
// seed and export can outlast the default 15 minutes. Without `amqpUrl` there is no broker
// and the jobs (outbox relay, event consumers) run in the API process itself, as on a laptop;
// with it the API does HTTP work only, as in production where the worker app runs the jobs.
import { randomBytes } from 'node:crypto';

// Production mode requires it (the production guard); one random key per run, shared by its processes.
const MFA_ENCRYPTION_KEY = randomBytes(32).toString('base64');

export function benchApiEnv({ port, databaseUrl, redisKeyPrefix, jwtSecret, admin, metricsPort, amqpUrl = '' }) {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: redisKeyPrefix,
    AMQP_URL: amqpUrl,
    JWT_SECRET: jwtSecret,
    MFA_ENCRYPTION_KEY,
    JWT_ACCESS_TTL_SECONDS: '3600',
    LOG_LEVEL: 'warn',
    THROTTLE_DEFAULT_PER_MINUTE: '100000000',
    THROTTLE_AUTH_PER_MINUTE: '100000000',
    SEED_DEMO_DATA: 'false',
    ...(metricsPort === undefined ? {} : { METRICS_PORT: String(metricsPort) }),
    ...(admin ? { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password } : {}),
  };
}
