import pino, { Logger } from 'pino';
import type { AppConfig } from '../config/app.config';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The process's one pino instance: nestjs-pino, the request log hook and the error
 * filter all write through it, so every line has the same shape and redaction.
 * Output is asynchronous (SonicBoom) so logging never blocks a request; it is flushed
 * on shutdown.
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
  };
  // Pretty lines only for a person at a terminal; pipes, files and production get JSON.
  if (config.env === 'development' && process.stdout.isTTY) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { singleLine: true } } });
  }
  return pino(options, pino.destination({ dest: 1, sync: false }));
}
