import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a public, cacheable JSON body: a strong ETag of the bytes, Cache-Control that
 * makes clients revalidate (so they never keep a stale copy after a write), X-Cache
 * telling whether the server-side cache answered, and 304 for a matching If-None-Match.
 */
export async function sendCacheable(request: FastifyRequest, reply: FastifyReply, body: unknown, cacheHit: boolean): Promise<void> {
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha1').update(json).digest('base64url')}"`;
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
