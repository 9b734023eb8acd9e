import { Global, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Logger } from 'pino';
import { amqpConfig } from '../config/amqp.config';
import { ROOT_LOGGER } from '../logging/root-logger';
import { InProcessMessageBus } from './in-process-message-bus';
import { MessageBus } from './message-bus';
import { RabbitMqMessageBus } from './rabbitmq-message-bus';

@Global()
@Module({
  providers: [
    {
      provide: MessageBus,
      inject: [amqpConfig.KEY, ROOT_LOGGER],
      useFactory: (config: ConfigType<typeof amqpConfig>, logger: Logger): MessageBus =>
        config.url
          ? new RabbitMqMessageBus(config, logger.child({ component: 'rabbitmq' }))
          : new InProcessMessageBus(logger.child({ component: 'bus' }), config),
    },
  ],
  exports: [MessageBus],
})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly bus: MessageBus) {}

  async onModuleInit(): Promise<void> {
    await this.bus.waitUntilConnected(3_000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
