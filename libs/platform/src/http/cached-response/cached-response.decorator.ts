import { Inject, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CACHED_RESPONSE_EXTENSION } from '../openapi-cached-responses';
import type { CachedResponseOptions, ResponseCacheKeyInput } from './cached-response.options';
import { ResponseCache } from './response-cache';

/** The controller property the route's ResponseCache is injected into (one per class). */
const RESPONSE_CACHE = Symbol('responseCache');
type Handler = (this: CachingController, ...args: unknown[]) => unknown;
interface CachingController {
  [RESPONSE_CACHE]: ResponseCache;
}

/**
 * Serves the route's JSON from the cache (CacheAside: this process's memory, then
 * Redis) with an ETag, `Cache-Control: public, max-age=0, must-revalidate`,
 * `X-Cache: HIT|MISS`, and 304 for a matching If-None-Match. On a miss the handler
 * runs and what it returns is stored. Route-scoped only: it wraps the one handler it
 * decorates.
 *
 * It intercepts the call around the handler rather than as a Nest interceptor
 * (`UseInterceptors`): any Nest interceptor puts the request through Nest's rxjs
 * pipeline, which cost the cached product GET 36 % more CPU per request than this
 * wrapper (docs/decisions.md). The wrapper is given the request and the reply by two
 * parameters it appends (`@Req()`, `@Res()`: it sends the reply itself, so Nest's
 * value-returning response path is skipped too) and ResponseCache by property injection, so the controller declares
 * nothing. Guards and pipes run before it, as before any handler.
 */
export function CachedResponse(options: CachedResponseOptions): MethodDecorator {
  const { key, ...loadOptions } = options;
  return (target, propertyKey, descriptor) => {
    const handler = descriptor.value as unknown as Handler;
    const declared = Reflect.getMetadata('design:paramtypes', target, propertyKey) as unknown[] | undefined;
    const arity = declared?.length ?? handler.length;
    Req()(target, propertyKey, arity);
    Res()(target, propertyKey, arity + 1);
    // Out of @fastify/compress: ResponseCache compresses a large body once per cached value
    // (response-cache.ts). A cached route therefore takes no @RouteConfig of its own;
    // global-enhancers.e2e-spec.ts fails if one ever carries the plugin's hooks.
    RouteConfig({ compress: false })(target, propertyKey, descriptor);
    // The OpenAPI document states the cache headers, the 304 and If-None-Match (openapi-cached-responses.ts).
    ApiExtension(CACHED_RESPONSE_EXTENSION, true)(target, propertyKey, descriptor);
    injectResponseCacheOnce(target);

    const cached: Handler = function (this: CachingController, ...args: unknown[]) {
      const request = args[arity] as FastifyRequest;
      const reply = args[arity + 1] as FastifyReply;
      const cacheKey = key(request as unknown as ResponseCacheKeyInput);
      // CacheAside loads through a promise; a handler may return a plain value.
      const body = this[RESPONSE_CACHE].serve(request, reply, cacheKey, loadOptions, () =>
        Promise.resolve(handler.apply(this, args.slice(0, arity))),
      );
      // The reply is sent here, as Nest does for any @Res() handler's own reply: its
      // value-returning path (a result transform, stream checks, the adapter's reply)
      // is skipped. A miss that fails rejects before anything is sent, so the exception
      // filter still answers.
      return body instanceof Promise ? body.then((loaded) => send(reply, loaded)) : send(reply, body);
    };
    // Route, Swagger and access decorators applied before this one wrote their metadata
    // on the original function; the ones applied after write it on this one.
    for (const metadataKey of Reflect.getOwnMetadataKeys(handler)) {
      Reflect.defineMetadata(metadataKey, Reflect.getOwnMetadata(metadataKey, handler), cached);
    }
    Object.defineProperty(cached, 'name', { value: handler.name });
    descriptor.value = cached as never;
    return descriptor;
  };
}

function send(reply: FastifyReply, body: string | Buffer | undefined): void {
  void reply.send(body);
}

const injected = new WeakSet<object>();
function injectResponseCacheOnce(prototype: object): void {
  if (!injected.has(prototype)) {
    injected.add(prototype);
    Inject(ResponseCache)(prototype, RESPONSE_CACHE);
  }
}

/**
 * A key for a route whose response depends on its whole query string (a list), for
 * services that invalidate such entries by tag: `prefix` and the query as sent.
 */
export function queryCacheKey(prefix: string, request: ResponseCacheKeyInput): string {
  return `${prefix}:${JSON.stringify(request.query)}`;
}
