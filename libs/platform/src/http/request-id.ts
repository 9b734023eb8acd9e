import type { IncomingMessage } from 'node:http';
import { uuidv7 } from 'uuidv7';

/** Accept a caller's id only when it is short and made of safe characters (no log injection). */
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Fastify's genReqId: echo a valid incoming `X-Request-Id`, else make a UUID v7.
 * The id is also stored on the raw request so pino-http (which sees only the raw
 * request) logs the same id.
 */
export function generateRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : uuidv7();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}
