import { CallHandler, ExecutionContext, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastValueFrom, Observable, of } from 'rxjs';
import { CacheAside, CacheResult } from '../../cache/cache-aside.service';
import { isNotModified } from '../conditional-request';
import { jsonRepresentationOf } from './json-representation';
import type { CachedResponseOptions, ResponseCacheKeyInput } from './cached-response.options';

/** Clients revalidate every time (a 304 is cheap), so none keeps a stale copy after a write. */
const CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The interceptor of one @CachedResponse route, its options closed over: a class per
 * route (Nest's `mixin`), so a request reads no route metadata.
 *
 * A hit never calls `next.handle()`: the handler and its pipes do not run. That is
 * sound because the key covers every input the handler reads (see
 * ResponseCacheKeyInput), and only a value the handler returned is ever stored: a
 * request that fails validation fails on its miss and leaves nothing behind.
 *
 * The body goes back to Nest as the memoized JSON string (sent as is under a JSON
 * Content-Type), so a hit serializes nothing; `of()` is the cheapest Observable, and
 * Nest's router sends what it emits.
 */
export function cachedResponseInterceptor(options: CachedResponseOptions): Type<NestInterceptor> {
  const { key, ...loadOptions } = options;

  @Injectable()
  class CachedResponseInterceptor implements NestInterceptor {
    constructor(private readonly cache: CacheAside) {}

    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
      const request = context.getArgByIndex<FastifyRequest>(0);
      const reply = context.getArgByIndex<FastifyReply>(1);
      const cacheKey = key(request as unknown as ResponseCacheKeyInput);
      // A hit in this process's memory is answered without a promise.
      const local = this.cache.peekLocal<unknown>(cacheKey, loadOptions);
      return local
        ? respond(request, reply, local)
        : this.cache
            .getOrLoad<unknown>(cacheKey, () => lastValueFrom(next.handle()), loadOptions)
            .then((result) => respond(request, reply, result));
    }
  }
  return mixin(CachedResponseInterceptor);
}

/** Sends the value's memoized JSON with its validators, or 304 when the client's copy is current. */
function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  { value, hit }: CacheResult<unknown>,
): Observable<unknown> {
  const { json, etag } = jsonRepresentationOf(value);
  void reply
    .header('etag', etag)
    .header('cache-control', CACHE_CONTROL)
    .header('x-cache', hit ? 'HIT' : 'MISS');
  if (isNotModified(request.headers['if-none-match'], etag)) {
    void reply.status(304);
    return of(undefined);
  }
  void reply.type(JSON_CONTENT_TYPE);
  return of(json);
}
