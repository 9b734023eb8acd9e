import FastifyOtelInstrumentation from '@fastify/otel';
import * as otelApi from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { IncomingMessage } from 'node:http';
import { enableTraceContext } from './trace-context';

/** Probes and scrapes would be most of the traces and say nothing. */
const UNTRACED_PATHS = /^\/(?:health|metrics)(?:[/?]|$)/;

/**
 * The SDK reads its exporter, endpoint, protocol, sampler, propagators and resource
 * from the standard OTEL_* variables; only traces are exported (metrics stay on the
 * Prometheus endpoint, logs on stdout). SQL and Redis commands are traced only under
 * a request or a consumed message: the relay's 250 ms poll and the crons would
 * otherwise be a root trace per query.
 */
export function startTracingSdk(serviceName: string | undefined): void {
  const sdk = new NodeSDK({
    serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        ignorePaths: '/health/**',
        // A request span and a handler span; one span per lifecycle hook (ten on every
        // request: request id, headers, metrics...) would be most of a trace and say little.
        instrumentHooks: false,
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new RedisInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation(),
    ],
  });
  sdk.start();
  enableTraceContext(otelApi, new W3CTraceContextPropagator(), () => sdk.shutdown());
}
