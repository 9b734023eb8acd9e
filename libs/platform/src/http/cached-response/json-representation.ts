import { createHash } from 'node:crypto';
import { compressSync, COMPRESSION_THRESHOLD_BYTES, CompressionEncoding } from '../compression';

export interface JsonRepresentation {
  json: string;
  /** A strong ETag of the JSON bytes. */
  etag: string;
  /** The JSON is large enough to be sent compressed to a client that accepts it. */
  compressible: boolean;
  /** The compressed bodies made so far, one per encoding asked for. */
  encoded: Partial<Record<CompressionEncoding, Buffer>>;
}

/**
 * The bytes and ETag of each cached value, made once per value object: a value served
 * from the in-process cache is the same object on every hit, so a hot product costs no
 * JSON.stringify and no hashing per request. Cached values are never mutated (the
 * cache hands them out without cloning), so the memo cannot go stale; it goes with the
 * value when the cache drops it.
 */
const representations = new WeakMap<object, JsonRepresentation>();

export function jsonRepresentationOf(body: unknown): JsonRepresentation {
  const memo = typeof body === 'object' && body !== null ? representations.get(body) : undefined;
  if (memo) {
    return memo;
  }
  const json = JSON.stringify(body);
  const made: JsonRepresentation = {
    json,
    etag: `"${createHash('sha1').update(json).digest('base64url')}"`,
    compressible: Buffer.byteLength(json) >= COMPRESSION_THRESHOLD_BYTES,
    encoded: {},
  };
  if (typeof body === 'object' && body !== null) {
    representations.set(body, made);
  }
  return made;
}

/**
 * The representation's body in `encoding`, compressed on the first request that asks for
 * it and kept with the representation: a cached page is compressed once per process and
 * encoding, not on every hit (brotli of a 20-product page costs more than the rest of
 * the request).
 */
export function encodedBody(representation: JsonRepresentation, encoding: CompressionEncoding): Buffer {
  return (representation.encoded[encoding] ??= compressSync(encoding, Buffer.from(representation.json)));
}
