import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { amqpConfig } from './config/amqp.config';
import { appConfig } from './config/app.config';
import { databaseConfig } from './config/database.config';
import { redisConfig } from './config/redis.config';
import { CacheModule } from './cache/cache.module';
import { DatabaseModule } from './database/database.module';
import { ExclusiveJobsModule } from './jobs/exclusive-jobs.module';
import { LoggingModule } from './logging/logging.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MessagingModule } from './messaging/messaging.module';
import { OutboxModule } from './outbox/outbox.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';

/**
 * Everything both apps need, whatever their transport: validated configuration,
 * logging, metrics, the database, Redis and the cache, messaging, job locks,
 * the transactional outbox and idempotency keys.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: { service: 'api' | 'worker' }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          // .env is loaded by main.ts before the app starts (see load-dotenv.ts).
          ignoreEnvFile: true,
          load: [appConfig, databaseConfig, redisConfig, amqpConfig],
        }),
        LoggingModule.forRoot(options.service),
        MetricsModule,
        DatabaseModule,
        RedisModule,
        CacheModule,
        MessagingModule,
        ExclusiveJobsModule,
        OutboxModule,
        IdempotencyModule,
      ],
    };
  }
}
