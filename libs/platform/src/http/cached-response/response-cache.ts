import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CacheAside, CacheLoadOptions, CacheResult } from '../../cache/cache-aside.service';
import { isNotModified } from '../conditional-request';
import { negotiateEncoding } from '../compression';
import { encodedBody, jsonRepresentationOf } from './json-representation';

/** Clients revalidate every time (a 304 is cheap), so none keeps a stale copy after a write. */
const CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * What a @CachedResponse route does around its handler: the lookup (CacheAside: this
 * process's memory, then Redis), the handler on a miss through CacheAside's single
 * flight, and the answer with its validators.
 *
 * A hit never calls the handler, which is sound because the key covers every input the
 * handler reads (see ResponseCacheKeyInput), and only a value the handler returned is
 * ever stored: a request that fails fails on its miss and leaves nothing behind.
 */
@Injectable()
export class ResponseCache {
  constructor(private readonly cache: CacheAside) {}

  /**
   * The body to send: the value's memoized JSON string (sent as is under a JSON
   * Content-Type, so a hit serializes nothing), its memoized compressed bytes for a client
   * that accepts them, or undefined for a 304. A hit in this process's memory is answered
   * without a promise.
   */
  serve(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    options: CacheLoadOptions,
    load: () => Promise<unknown>,
  ): string | Buffer | undefined | Promise<string | Buffer | undefined> {
    const local = this.cache.peekLocal<unknown>(key, options);
    return local
      ? respond(request, reply, local)
      : this.cache.getOrLoad<unknown>(key, load, options).then((result) => respond(request, reply, result));
  }
}

/**
 * Sets the value's validators and answers 304 when the client's copy is current.
 * @CachedResponse routes are left out of @fastify/compress (its two hooks would run on
 * every hit, and compress every hit again): a large body is compressed here, once per
 * value and encoding, as the plugin would (same threshold, encodings, negotiation and
 * `x-no-compression` opt-out), with `Vary: accept-encoding` whenever it could be.
 */
function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  { value, hit }: CacheResult<unknown>,
): string | Buffer | undefined {
  const representation = jsonRepresentationOf(value);
  const { json, etag } = representation;
  void reply
    .header('etag', etag)
    .header('cache-control', CACHE_CONTROL)
    .header('x-cache', hit ? 'HIT' : 'MISS');
  if (representation.compressible) {
    varyOnAcceptEncoding(reply);
  }
  if (isNotModified(request.headers['if-none-match'], etag)) {
    void reply.status(304);
    return undefined;
  }
  void reply.type(JSON_CONTENT_TYPE);
  const encoding =
    representation.compressible && request.headers['x-no-compression'] === undefined
      ? negotiateEncoding(request.headers['accept-encoding'])
      : undefined;
  if (encoding === undefined) {
    return json;
  }
  void reply.header('content-encoding', encoding);
  return encodedBody(representation, encoding);
}

/** Adds accept-encoding to Vary, keeping what is there (CORS's Origin may be on the raw response). */
function varyOnAcceptEncoding(reply: FastifyReply): void {
  const existing = reply.getHeader('vary') ?? reply.raw.getHeader('vary');
  const listed = existing === undefined ? '' : Array.isArray(existing) ? existing.join(', ') : String(existing);
  if (!/(?:^|,)\s*accept-encoding\s*(?:,|$)/iu.test(listed)) {
    void reply.header('vary', listed === '' ? 'accept-encoding' : `${listed}, accept-encoding`);
  }
}
