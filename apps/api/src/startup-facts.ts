import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEMO_ACCOUNTS } from '@app/auth';
import { filesConfig } from '@app/files';
import { AppConfig, readDatabaseConfig, redisConfig, shouldSeedDemoData } from '@app/platform';
import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { serverAddress, StartupFacts } from './startup-banner';

/** Where the emails of the development mail sink land, when that sink is in use. */
const MAIL_DIR = '.data/mail';

/** Reads the facts of the banner from the running API (after listen: the port may have been 0). */
export function gatherStartupFacts(
  app: NestFastifyApplication,
  config: AppConfig,
  embedded: { dataDir: string } | undefined,
): StartupFacts {
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const files = app.get<ConfigType<typeof filesConfig>>(filesConfig.KEY);
  const redis = app.get<ConfigType<typeof redisConfig>>(redisConfig.KEY);
  const amqpUrl = process.env.AMQP_URL;
  const databaseUrl = process.env.DATABASE_URL ?? '';
  return {
    url,
    docsUrl: config.swaggerEnabled ? `${url}/docs` : undefined,
    demoAccounts: shouldSeedDemoData()
      ? DEMO_ACCOUNTS.map(({ email, password, roles }) => ({ email, password, role: roles[0] }))
      : [],
    data: {
      postgres: embedded?.dataDir,
      mail: existsSync(MAIL_DIR) ? path.resolve(MAIL_DIR) : undefined,
      uploads: files.storage === 's3' ? `s3://${files.s3.bucket}` : path.resolve(files.localDir),
    },
    servers: {
      database: embedded
        ? `embedded PostgreSQL on 127.0.0.1:${readDatabaseConfig().embeddedPort} (set DATABASE_URL for your own)`
        : `PostgreSQL at ${serverAddress(databaseUrl)} (DATABASE_URL)`,
      cache: redis.url
        ? `Redis at ${serverAddress(redis.url)} (REDIS_URL)`
        : 'in memory, this process only (set REDIS_URL for Redis)',
      bus: amqpUrl
        ? `RabbitMQ at ${serverAddress(amqpUrl)} (AMQP_URL): run the worker for consumers and crons`
        : 'in-process bus, jobs run in this process (set AMQP_URL for RabbitMQ and a worker)',
    },
  };
}
