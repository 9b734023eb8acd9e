import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../cache/with-timeout';
import { REDIS_CLIENT, RedisClient } from '../redis/redis-client';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly client: RedisClient | null,
  ) {}

  isConfigured(): boolean {
    return this.client !== null;
  }

  async check(key: string, timeoutMs: number) {
    const session = this.indicator.check(key);
    try {
      await withTimeout(this.client!.ping(), timeoutMs, 'redis ping');
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}
