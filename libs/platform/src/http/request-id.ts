import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Accept a caller's id only when it is short and made of safe characters (no log injection). */
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Fastify's genReqId: echo a valid incoming `X-Request-Id`, else make a UUID v7.
 * The id is also stored on the raw request so pino-http (which sees only the raw
 * request) logs the same id.
 */
export function generateRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : requestUuidV7();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const POOL_BYTES = 4096;
const BYTES_PER_ID = 10;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;
let prefixMs = -1;
let prefix = '';

/**
 * A UUID v7 (RFC 9562: 48-bit millisecond time, version 7, 74 random bits) made for
 * every request that brings no id. The `uuidv7` package (used for row ids, where its
 * monotonic counter matters) costs ~1.3 µs a call, a visible share of a ~20 µs
 * request; this one costs ~0.1 µs (measured with 1M calls, docs/decisions.md): the
 * random bits come from a pooled buffer filled 4 KB at a time and the time prefix is
 * made once per millisecond. Ids within one millisecond are unordered, which a request
 * id does not need.
 */
export function requestUuidV7(): string {
  const now = Date.now();
  if (now !== prefixMs) {
    prefixMs = now;
    const time = now.toString(16).padStart(12, '0');
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  if (offset + BYTES_PER_ID > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const b = pool;
  const o = offset;
  offset += BYTES_PER_ID;
  return (
    `${prefix}${HEX[b[o] & 0x0f].slice(1)}${HEX[b[o + 1]]}-${HEX[(b[o + 2] & 0x3f) | 0x80]}${HEX[b[o + 3]]}-` +
    `${HEX[b[o + 4]]}${HEX[b[o + 5]]}${HEX[b[o + 6]]}${HEX[b[o + 7]]}${HEX[b[o + 8]]}${HEX[b[o + 9]]}`
  );
}
