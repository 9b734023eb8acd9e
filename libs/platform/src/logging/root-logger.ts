import type { Writable } from 'node:stream';
import pino, { Logger } from 'pino';
import type { AppConfig } from '../config/app.config';
import { traceLogFields, tracingEnabled } from '../tracing/trace-context';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export type LogFormat = 'pretty' | 'json';

/**
 * Pretty lines only for a person at a terminal running the app in development;
 * pipes, files, tests and production get JSON (one object a line, for collectors).
 */
export function logFormat(env: AppConfig['env'], stdoutIsTTY: boolean | undefined): LogFormat {
  return env === 'development' && stdoutIsTTY === true ? 'pretty' : 'json';
}

/**
 * The process's one pino instance: nestjs-pino, the request log hook and the error
 * filter all write through it, so every line has the same shape and redaction.
 * JSON output is asynchronous (SonicBoom) so logging never blocks a request; it is
 * flushed on shutdown.
 */
export function createRootLogger(config: AppConfig, service: string): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.passwordHash',
        '*.refreshToken',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
    // With tracing on, a line written under a span names it; off, no mixin runs at all.
    ...(tracingEnabled() ? { mixin: traceLogFields } : {}),
  };
  const pretty = logFormat(config.env, process.stdout.isTTY) === 'pretty' ? prettyStream() : undefined;
  return pino(options, pretty ?? pino.destination({ dest: 1, sync: false }));
}

/**
 * pino-pretty in this process (no transport worker thread to start), synchronous so
 * that the start-up banner, written after the logs, comes after them. A dev
 * dependency: where it is not installed (a production image run by hand), JSON.
 */
function prettyStream(): Writable | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in pretty mode
    const build = require('pino-pretty') as (options: object) => Writable;
    return build({ singleLine: true, sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss' });
  } catch {
    return undefined;
  }
}
