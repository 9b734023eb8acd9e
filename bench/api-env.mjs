// The environment every benchmark script starts the built API with: one process against
// real PostgreSQL and Redis, no broker (jobs in-process), quiet logs, and rate limits
// high enough that the load generator is never throttled.
export function benchApiEnv({ port, databaseUrl, redisKeyPrefix, jwtSecret, admin }) {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: redisKeyPrefix,
    AMQP_URL: '',
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'warn',
    THROTTLE_DEFAULT_PER_MINUTE: '100000000',
    THROTTLE_AUTH_PER_MINUTE: '100000000',
    SEED_DEMO_DATA: 'false',
    ...(admin ? { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password } : {}),
  };
}
