import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { HttpDurationHistogram } from './http-metrics';

/**
 * Owns this process's Prometheus registry. Features record through it (cache hits
 * and misses, pool use) instead of creating metrics of their own, so names stay
 * consistent and tests can use a fresh registry per app.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: HttpDurationHistogram;
  readonly cacheRequests: Counter<'cache' | 'result'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = HttpDurationHistogram.registerIn(this.registry);
    this.cacheRequests = new Counter({
      name: 'cache_requests_total',
      help: 'Cache lookups by cache name and result (hit, miss, error)',
      labelNames: ['cache', 'result'],
      registers: [this.registry],
    });
  }

  /** A gauge whose value is read when Prometheus scrapes. */
  registerGauge(name: string, help: string, labelNames: string[], collect: (gauge: Gauge) => void): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        collect(this);
      },
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
