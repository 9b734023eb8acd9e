import { Histogram, Registry } from 'prom-client';

export const HTTP_REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createHttpDurationHistogram(registry: Registry): Histogram<'route' | 'method' | 'status'> {
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: HTTP_REQUEST_BUCKETS,
    registers: [registry],
  });
}
