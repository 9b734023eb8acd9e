import type { Registry } from 'prom-client';

export const HTTP_REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One line of the exposition, as prom-client's metrics hand them to their registry. */
interface ExportedValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

interface Series {
  route: string;
  method: string;
  status: string;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * `http_request_duration_seconds` by route template, method and status: the one metric
 * written on every request. prom-client's Histogram spends ~1 µs an observation (a labels
 * object built and validated, a hash string joined, the bucket found by a number-to-string
 * key), ~4 % of `/health/live`'s CPU; here the series is found through three Maps keyed by
 * the values themselves (the route template and method strings are the same objects on
 * every request) and counted in a typed array. The registry renders it as it renders any
 * prom-client metric (the `get()` shape of prom-client's Histogram: cumulative `_bucket`
 * lines with `le`, then `_sum` and `_count`); `http-metrics.spec.ts` holds the two outputs
 * equal.
 */
export class HttpDurationHistogram {
  readonly name = 'http_request_duration_seconds';
  readonly help = 'HTTP request duration by route template, method and status';
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly bounds: readonly number[] = HTTP_REQUEST_BUCKETS;
  private series = new Map<string, Map<string, Map<number, Series>>>();
  /** Every series, in the order of its first request (prom-client's order too). */
  private ordered: Series[] = [];

  observe(route: string, method: string, statusCode: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.series.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let series = byStatus.get(statusCode);
    if (series === undefined) {
      series = {
        route,
        method,
        status: String(statusCode),
        counts: new Float64Array(this.bounds.length + 1),
        sum: 0,
        count: 0,
      };
      byStatus.set(statusCode, series);
      this.ordered.push(series);
    }
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) {
      bucket++;
    }
    series.counts[bucket]++;
    series.sum += seconds;
    series.count++;
  }

  get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: ExportedValue[] }> {
    const values: ExportedValue[] = [];
    for (const { route, method, status, counts, sum, count } of this.ordered) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += counts[index];
        values.push({
          labels: { le: bound, route, method, status },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      });
      values.push({ labels: { le: '+Inf', route, method, status }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels: { route, method, status }, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels: { route, method, status }, value: count, metricName: `${this.name}_count` });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.series = new Map();
    this.ordered = [];
  }

  static registerIn(registry: Registry): HttpDurationHistogram {
    const histogram = new HttpDurationHistogram();
    // A metric to the registry is anything with prom-client's name, help, type and get().
    registry.registerMetric(histogram as unknown as Parameters<Registry['registerMetric']>[0]);
    return histogram;
  }
}
