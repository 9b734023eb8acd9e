/**
 * Each app's second import (after the Node version check): starts OpenTelemetry
 * before any module it instruments (http, fastify, pg, redis, amqplib) is loaded,
 * since the instrumentations patch those modules as they are required. Only the
 * standard OTEL_* variables (from the environment or `.env`) turn it on; without
 * them the SDK module is never required. A second public entry of the platform lib,
 * like require-supported-node, for the same reason: it must run first.
 */
import { loadDotEnv } from './config/load-dotenv';
import { tracingRequested } from './tracing/tracing-switch';

export function startTracing(defaultServiceName: string): void {
  loadDotEnv();
  if (!tracingRequested(process.env)) {
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on
  const { startTracingSdk } = require('./tracing/tracing-sdk') as typeof import('./tracing/tracing-sdk');
  startTracingSdk(process.env.OTEL_SERVICE_NAME ? undefined : defaultServiceName);
}
