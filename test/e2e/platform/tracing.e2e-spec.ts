import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { request, RunningProcess, startBuiltApp, waitFor } from '../../support/api-process';
import { adminEnv, login, register } from '../../support/auth-helpers';
import { addStock, createProduct, createWarehouse, placeOrder } from '../../support/commerce-fixtures';
import { httpInjector } from '../../support/http-injector';
import { OtlpReceiver, ReceivedSpan, SpanKind } from '../../support/otlp-receiver';
import { describeWithRabbit } from '../../support/requires';
import { createIsolatedDatabase } from '../../support/test-database';

const PROBE = path.resolve(__dirname, '../../support/loaded-modules-probe.js');
const NO_OTEL = { OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' };

/** The files a running app (started with the probe) has in its require cache. */
async function loadedModules(app: RunningProcess): Promise<string[]> {
  const before = app.output().length;
  app.child.kill('SIGUSR2');
  let line: string | undefined;
  await waitFor(() => (line = /loaded-modules (.*)\n/.exec(app.output().slice(before))?.[1]) !== undefined, 5_000);
  return JSON.parse(line!) as string[];
}

/**
 * The tracing machinery a process loaded: the SDK, exporters, instrumentations, @fastify/otel
 * and our SDK starter. Not `@opentelemetry/api`: prom-client requires it when it loads (for
 * exemplars), tracing or not, and without a registered SDK it is an inert facade.
 */
const tracingModules = (files: string[]) =>
  files.filter((file) =>
    /[\\/]@opentelemetry[\\/](?!api[\\/])|[\\/]@fastify[\\/]otel[\\/]|[\\/]tracing[\\/]tracing-sdk\.js$/.test(file),
  );

/** The JSON log lines of a process. */
function logLines(app: RunningProcess): Array<Record<string, unknown>> {
  return app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Walks parent links up from `span` within its trace. */
function ancestors(span: ReceivedSpan, trace: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
    chain.push(parent);
  }
  return chain;
}

/**
 * The built API and worker as processes, exporting to a real OTLP/HTTP receiver:
 * one order's trace runs from the API's request through its SQL and the outbox,
 * across RabbitMQ, into the worker's consumer. Without OTEL_* variables nothing of
 * OpenTelemetry is loaded and log lines carry no trace id.
 */
describeWithRabbit('OpenTelemetry tracing (built API and worker, real OTLP receiver)', () => {
  const processes: RunningProcess[] = [];
  // Queues of this spec's own, so no other spec's worker takes these events.
  const prefix = `${process.env.AMQP_NAME_PREFIX ?? 'commerce'}.otel${randomUUID().slice(0, 8)}`;
  let receiver: OtlpReceiver;
  let database: { url: string; drop(): Promise<void> };
  let db: Client;
  const start = async (app: 'api' | 'worker', env: Record<string, string>) => {
    const running = await startBuiltApp(app, {
      DATABASE_URL: database.url,
      AMQP_NAME_PREFIX: prefix,
      BILLING_RENEWALS_ENABLED: 'false',
      NODE_OPTIONS: `--require ${PROBE}`,
      ...env,
    });
    processes.push(running);
    return running;
  };

  /** Starts the API and a worker with `env`, places one order as a new customer; its outbox row's traceparent. */
  const placeAnOrder = async (env: Record<string, string>) => {
    const admin = adminEnv();
    const api = await start('api', { ...env, ...admin });
    const worker = await start('worker', env);
    const http = httpInjector(api.port);
    const adminSession = await login(http, admin.ADMIN_EMAIL);
    const product = await createProduct(http, adminSession.accessToken);
    const warehouse = await createWarehouse(http, adminSession.accessToken);
    await addStock(http, adminSession.accessToken, product.id, warehouse.id, 10);
    const customer = await register(http);
    const placed = await placeOrder(http, customer.accessToken, [{ productId: product.id, quantity: 1 }]);
    expect(placed.statusCode).toBe(201);
    const { rows } = await db.query<{ traceparent: string | null }>(
      `SELECT traceparent FROM outbox_messages WHERE type = 'order.placed' AND payload->>'id' = $1`,
      [placed.json<{ id: string }>().id],
    );
    expect(rows).toHaveLength(1);
    return { api, worker, traceparent: rows[0].traceparent };
  };

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    database = await createIsolatedDatabase('otel');
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  // Each case its own processes: a worker left running would relay the next case's events.
  afterEach(() => {
    for (const running of processes.splice(0)) {
      running.child.kill('SIGKILL');
    }
  });

  afterAll(async () => {
    await db.end().catch(() => undefined);
    await database?.drop();
    await receiver?.close();
  });

  it('follows one order from the API request through SQL and the broker into the worker consumer', async () => {
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const { api, worker, traceparent } = await placeAnOrder(otel);
    // The outbox row carries the request's trace context.
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent!.split('-')[1];

    const consumerSpan = (trace: ReceivedSpan[]) =>
      trace.find(
        (span) =>
          span.service === 'commerce-worker' &&
          span.kind === SpanKind.Consumer &&
          span.name === `${prefix}.reports.sales-rollup process`,
      );
    await waitFor(
      () => consumerSpan(receiver.trace(traceId)) !== undefined,
      20_000,
      () => JSON.stringify(receiver.trace(traceId).map(({ service, name, kind }) => ({ service, name, kind }))),
    );
    // Spans end (and are exported) a little after their children: let the last batches arrive.
    await waitFor(
      () => receiver.trace(traceId).some((s) => s.service === 'commerce-worker' && s.scope.includes('pg')),
      5_000,
    );
    const trace = receiver.trace(traceId);

    const server = trace.find((span) => span.service === 'commerce-api' && span.kind === SpanKind.Server);
    expect(server).toMatchObject({ attributes: expect.objectContaining({ 'http.route': '/v1/orders' }) });
    expect(server!.parentSpanId).toBe('');
    const apiSql = trace.filter((span) => span.service === 'commerce-api' && span.scope.includes('instrumentation-pg'));
    const statements = apiSql.map((span) =>
      String(span.attributes['db.query.text'] ?? span.attributes['db.statement']),
    );
    expect(statements).toEqual(expect.arrayContaining([expect.stringContaining('INSERT INTO outbox_messages')]));
    for (const sql of apiSql) {
      expect(ancestors(sql, trace)).toContain(server);
    }

    // Broker and consumer: the worker's publish and consume spans hang under the request.
    const consumer = consumerSpan(trace)!;
    const chain = ancestors(consumer, trace);
    expect(chain[0]).toMatchObject({ service: 'commerce-worker', kind: SpanKind.Producer });
    expect(chain.at(-1)).toBe(server);
    const workerSql = trace.filter((s) => s.service === 'commerce-worker' && s.scope.includes('instrumentation-pg'));
    expect(workerSql.length).toBeGreaterThan(0);
    for (const sql of workerSql) {
      expect(ancestors(sql, trace)).toContain(consumer);
    }

    // The API's request log line names the trace.
    const requestLine = logLines(api).find((line) => line.msg === 'request completed' && line.route === '/v1/orders');
    expect(requestLine).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    for (const app of [api, worker]) {
      expect(tracingModules(await loadedModules(app)).length).toBeGreaterThan(0);
    }
    // The readiness polls that started the API left no trace.
    const health = receiver.spans.filter((span) => /\/health/.test(`${span.name} ${JSON.stringify(span.attributes)}`));
    expect(health).toEqual([]);
  });

  it('exports the last spans on SIGTERM, and a collector that never answers does not fail the shutdown', async () => {
    // Spans would wait a minute for their batch: only the shutdown's flush can send them now.
    const api = await start('api', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_SERVICE_NAME: 'commerce-api-shutdown',
    });
    expect((await request(api.port, '/v1/products')).status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(
      receiver.spans.filter((span) => span.service === 'commerce-api-shutdown' && span.kind === SpanKind.Server),
    ).toEqual([expect.objectContaining({ attributes: expect.objectContaining({ 'http.route': '/v1/products' }) })]);

    // A collector that accepts connections and never answers: the export would wait out its
    // 10 s timeout, past the shutdown budget (exit 1), but the flush gives up first.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const stuck = await start('api', {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        SHUTDOWN_TIMEOUT_MS: '5000',
      });
      expect((await request(stuck.port, '/v1/products')).status).toBe(200);
      stuck.child.kill('SIGTERM');
      expect(await stuck.exited).toBe(0);
    } finally {
      silent.close();
    }
  });

  it('without OTEL_* variables loads no OpenTelemetry module, stores no traceparent and logs no trace id', async () => {
    const { api, worker, traceparent } = await placeAnOrder(NO_OTEL);
    expect(traceparent).toBeNull();
    for (const app of [api, worker]) {
      const files = await loadedModules(app);
      expect(files.length).toBeGreaterThan(100);
      expect(tracingModules(files)).toEqual([]);
    }
    const lines = logLines(api);
    expect(lines.some((line) => line.msg === 'request completed' && line.route === '/v1/orders')).toBe(true);
    expect(lines.filter((line) => 'trace_id' in line)).toEqual([]);
  });
});
