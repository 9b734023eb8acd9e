import type { AuthenticatedUser } from '../../auth/authenticated-user';
import type { CacheLoadOptions } from '../../cache/cache-aside.service';

/**
 * What a response's cache key is made from: the route's params and query as the client
 * sent them (before the pipes transformed them; a hit never reaches the handler), and the
 * caller. A key must cover every input the handler reads: two requests with one key
 * get one answer.
 */
export interface ResponseCacheKeyInput {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly user?: AuthenticatedUser;
}

export interface CachedResponseOptions extends CacheLoadOptions {
  /**
   * The cache key of this request's response. It must be the key (or carry the tag) the
   * owning service invalidates on writes: invalidation stays with the service's writes,
   * e.g. `(request) => productCacheKey(request.params.id)`.
   */
  key: (request: ResponseCacheKeyInput) => string;
}
