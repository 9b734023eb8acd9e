import { UseInterceptors } from '@nestjs/common';
import { cachedResponseInterceptor } from './cached-response.interceptor';
import type { CachedResponseOptions, ResponseCacheKeyInput } from './cached-response.options';

/**
 * Serves the route's JSON from the cache (CacheAside: this process's memory, then
 * Redis) with an ETag, `Cache-Control: public, max-age=0, must-revalidate`,
 * `X-Cache: HIT|MISS`, and 304 for a matching If-None-Match. On a miss the handler
 * runs and what it returns is stored. Route-scoped only: never register it globally.
 */
export function CachedResponse(options: CachedResponseOptions): MethodDecorator {
  return UseInterceptors(cachedResponseInterceptor(options));
}

/**
 * A key for a route whose response depends on its whole query string (a list), for
 * services that invalidate such entries by tag: `prefix` and the query as sent.
 */
export function queryCacheKey(prefix: string, request: ResponseCacheKeyInput): string {
  return `${prefix}:${JSON.stringify(request.query)}`;
}
