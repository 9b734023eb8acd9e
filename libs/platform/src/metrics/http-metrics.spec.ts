import { Histogram, Registry } from 'prom-client';
import { HTTP_REQUEST_BUCKETS, HttpDurationHistogram } from './http-metrics';

/** The same observations through prom-client's own Histogram and through HttpDurationHistogram. */
function bothWith(observations: Array<[string, string, number, number]>): Promise<[string, string]> {
  const reference = new Registry();
  const prom = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: HTTP_REQUEST_BUCKETS,
    registers: [reference],
  });
  const ours = new Registry();
  const histogram = HttpDurationHistogram.registerIn(ours);
  for (const [route, method, status, seconds] of observations) {
    prom.observe({ route, method, status: String(status) }, seconds);
    histogram.observe(route, method, status, seconds);
  }
  return Promise.all([reference.metrics(), ours.metrics()]);
}

describe('HttpDurationHistogram', () => {
  it('renders exactly what prom-client renders for the same observations', async () => {
    const observations: Array<[string, string, number, number]> = [];
    const routes = ['/health/live', '/v1/products/:id', 'unmatched'];
    const values = [0, 0.0004, 0.001, 0.0010001, 0.003, 0.01, 0.2, 0.25, 1.7, 10, 12.5, 600];
    routes.forEach((route, r) =>
      values.forEach((seconds, v) =>
        observations.push([route, v % 2 ? 'GET' : 'POST', v % 3 ? 200 : 404 + r, seconds]),
      ),
    );
    const [reference, ours] = await bothWith(observations);
    expect(ours).toContain(
      'http_request_duration_seconds_bucket{le="0.001",route="/health/live",method="POST",status="404"} 1',
    );
    expect(ours).toBe(reference);
  });

  it('renders nothing but its help and type before the first request, and again after a reset', async () => {
    const [reference, ours] = await bothWith([]);
    expect(ours).toBe(reference);
    const registry = new Registry();
    const histogram = HttpDurationHistogram.registerIn(registry);
    histogram.observe('/x', 'GET', 200, 0.1);
    registry.resetMetrics();
    expect(await registry.metrics()).toBe(ours);
  });
});
