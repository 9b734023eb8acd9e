import { Controller, Get, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/public.decorator';
import { PlatformError, PlatformErrorCode } from '../errors/platform-error';
import { ProblemDetailsDto } from '../http/problem-details.dto';
import { RabbitMqHealthIndicator } from './rabbitmq.health';
import { RedisHealthIndicator } from './redis.health';

const CHECK_TIMEOUT_MS = 1_500;

@ApiTags('operations')
// Probes and scrapers must never be rate limited.
@SkipThrottle()
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly rabbitmq: RabbitMqHealthIndicator,
  ) {}

  @Get('live')
  // A few bytes, asked for many times a second by probes: no compression step at all.
  @RouteConfig({ compress: false })
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 when PostgreSQL and every configured dependency answer' })
  @ApiOkResponse({ description: 'Every dependency is up' })
  @ApiServiceUnavailableResponse({
    type: ProblemDetailsDto,
    description: 'DEPENDENCY_UNAVAILABLE: not ready, the detail names the dependency that is down',
  })
  async ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('postgres', { timeout: CHECK_TIMEOUT_MS }),
    ];
    if (this.redis.isConfigured()) {
      checks.push(() => this.redis.check('redis', CHECK_TIMEOUT_MS));
    }
    if (this.rabbitmq.isConfigured()) {
      checks.push(() => this.rabbitmq.check('rabbitmq'));
    }
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const result = error.getResponse() as HealthCheckResult;
        const failing = Object.keys(result.error ?? {});
        // While draining, readiness fails on purpose so load balancers stop routing here.
        const detail =
          result.status === 'shutting_down'
            ? 'Not ready: shutting down'
            : `Not ready: ${failing.join(', ')} unavailable`;
        throw new PlatformError(PlatformErrorCode.DependencyUnavailable, detail);
      }
      throw error;
    }
  }
}
