import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MessageBus } from '../messaging/message-bus';

@Injectable()
export class RabbitMqHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly bus: MessageBus,
  ) {}

  isConfigured(): boolean {
    return this.bus.transport === 'rabbitmq';
  }

  check(key: string) {
    const session = this.indicator.check(key);
    return this.bus.isConnected() ? session.up() : session.down({ message: 'not connected' });
  }
}
