import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

interface Representation {
  json: string;
  etag: string;
}

/**
 * The bytes and ETag of each cached value, made once per value object: a value served
 * from the in-process cache is the same object on every hit, so a hot product costs no
 * JSON.stringify and no hashing per request. Cached values are never mutated (the
 * cache hands them out without cloning), so the memo cannot go stale; it goes with the
 * value when the cache drops it.
 */
const representations = new WeakMap<object, Representation>();

function representationOf(body: unknown): Representation {
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

/**
 * Sends a public, cacheable JSON body: a strong ETag of the bytes, Cache-Control that
 * makes clients revalidate (so they never keep a stale copy after a write), X-Cache
 * telling whether the server-side cache answered, and 304 for a matching If-None-Match.
 */
export async function sendCacheable(request: FastifyRequest, reply: FastifyReply, body: unknown, cacheHit: boolean): Promise<void> {
  const { json, etag } = representationOf(body);
  void reply
    .header('etag', etag)
    .header('cache-control', 'public, max-age=0, must-revalidate')
    .header('x-cache', cacheHit ? 'HIT' : 'MISS');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    await reply.status(304).send();
    return;
  }
  await reply.type('application/json; charset=utf-8').send(json);
}
