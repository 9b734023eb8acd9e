import type * as OtelApi from '@opentelemetry/api';

/**
 * The one place the rest of the platform touches trace context. Until the SDK is
 * started (tracing off, the default) every function here returns at once and
 * `@opentelemetry/api` is never loaded: off costs one property read.
 */
let api: typeof OtelApi | undefined;
let stopSdk: (() => Promise<void>) | undefined;

/** Called once by the SDK starter, after the SDK has registered its providers. */
export function enableTraceContext(otelApi: typeof OtelApi, stop: () => Promise<void>): void {
  api = otelApi;
  stopSdk = stop;
}

export function tracingEnabled(): boolean {
  return api !== undefined;
}

/** The W3C `traceparent` of the active span, or null (tracing off, or no span). */
export function activeTraceparent(): string | null {
  if (!api) {
    return null;
  }
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * Runs `work` as a continuation of the trace a `traceparent` names (a message
 * written by a request), so spans started inside it join that trace.
 */
export function runInTraceparent<T>(traceparent: string | null, work: () => T): T {
  if (!api || !traceparent) {
    return work();
  }
  const parent = api.propagation.extract(api.ROOT_CONTEXT, { traceparent });
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

/** Exports the spans still buffered; part of graceful shutdown. */
export async function stopTracing(): Promise<void> {
  await stopSdk?.();
}
