import type * as OtelApi from '@opentelemetry/api';
import { withTimeout } from '../cache/with-timeout';

/** How long shutdown waits for the last spans: a collector that is down must not hold a deploy. */
const FLUSH_TIMEOUT_MS = 2_000;

/**
 * The one place the rest of the platform touches trace context. Until the SDK is
 * started (tracing off, the default) every function here returns at once, and this
 * module loads nothing of OpenTelemetry (the SDK starter hands it the API): off
 * costs one property read.
 */
let api: typeof OtelApi | undefined;
/**
 * The outbox column is W3C `traceparent` whatever OTEL_PROPAGATORS says (that
 * setting is for callers' HTTP headers), so it is written and read with the W3C one.
 */
let w3c: OtelApi.TextMapPropagator | undefined;
let stopSdk: (() => Promise<void>) | undefined;

/** Called once by the SDK starter, after the SDK has registered its providers. */
export function enableTraceContext(
  otelApi: typeof OtelApi,
  traceContextPropagator: OtelApi.TextMapPropagator,
  stop: () => Promise<void>,
): void {
  api = otelApi;
  w3c = traceContextPropagator;
  stopSdk = stop;
}

export function tracingEnabled(): boolean {
  return api !== undefined;
}

/** The W3C `traceparent` of the active span, or null (tracing off, or no span). */
export function activeTraceparent(): string | null {
  if (!api || !w3c) {
    return null;
  }
  const carrier: Record<string, string> = {};
  w3c.inject(api.context.active(), carrier, api.defaultTextMapSetter);
  return carrier.traceparent ?? null;
}

/**
 * Runs `work` as a continuation of the trace a `traceparent` names (a message
 * written by a request), so spans started inside it join that trace.
 */
export function runInTraceparent<T>(traceparent: string | null, work: () => T): T {
  if (!api || !w3c || !traceparent) {
    return work();
  }
  const parent = w3c.extract(api.ROOT_CONTEXT, { traceparent }, api.defaultTextMapGetter);
  return api.context.with(parent, work);
}

/** `trace_id` and `span_id` of the active span, for log lines (pino's mixin). */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = api?.trace.getActiveSpan();
  if (!span) {
    return {};
  }
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * Exports the spans still buffered; part of graceful shutdown. Never fails the
 * shutdown: spans a slow or absent collector has not taken within the budget are dropped.
 */
export async function stopTracing(): Promise<void> {
  if (stopSdk) {
    await withTimeout(stopSdk(), FLUSH_TIMEOUT_MS, 'exporting the last spans').catch(() => undefined);
  }
}
