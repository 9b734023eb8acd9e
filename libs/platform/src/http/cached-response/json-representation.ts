import { createHash } from 'node:crypto';

export interface JsonRepresentation {
  json: string;
  /** A strong ETag of the JSON bytes. */
  etag: string;
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
  const made = { json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
  if (typeof body === 'object' && body !== null) {
    representations.set(body, made);
  }
  return made;
}
