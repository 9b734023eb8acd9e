import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onRequestHookHandler,
} from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

/**
 * The OWASP REST Security Cheat Sheet set, for every answer that is not an HTML page
 * (JSON, problem+json, CSV, NDJSON, files). A route with its own caching rule (cached
 * product GETs, file downloads) replaces `cache-control` when it answers. HSTS is
 * helmet's default value.
 */
export const REST_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': "frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

export interface SecurityHeadersOptions {
  /** Routes at this path or under it serve HTML pages (the Swagger UI): they get helmet's full set. */
  htmlPathPrefix: string;
  /** helmet's options for those pages (their Content-Security-Policy). */
  html: HelmetOptions;
}

/**
 * Every answer gets the fixed REST set and its `X-Request-Id` from one onRequest hook
 * with a prebuilt object (this runs on every request, so nothing is computed per
 * request, and there is one hook for all the headers every answer carries). Only the HTML
 * routes, picked once when they are registered, add a route-level hook that swaps in
 * helmet's HTML set, computed once at start: helmet itself (and @fastify/helmet)
 * rebuilds every value, its CSP string included, on each request, which halved the
 * throughput of a bare route here, and its ~900 bytes of HTML-page headers are noise
 * on a JSON answer.
 */
export function installSecurityHeaders(fastify: FastifyInstance, options: SecurityHeadersOptions): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(REST_SECURITY_HEADERS).header('x-request-id', request.id);
    done();
  });

  const htmlHeaders = computeHelmetHeaders(options.html);
  const setHtmlHeaders = (_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // helmet's set replaces the REST values of the same names; pages and their assets may be cached.
    void reply.removeHeader('cache-control').headers(htmlHeaders);
    done();
  };
  const prefix = options.htmlPathPrefix;
  fastify.addHook('onRoute', (route) => {
    if (route.url === prefix || route.url.startsWith(`${prefix}/`)) {
      const own: onRequestHookHandler[] =
        route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
      route.onRequest = [setHtmlHeaders, ...own];
    }
  });
}

export function computeHelmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: Error | undefined;
  helmet(options)({} as never, response as never, (error?: unknown) => {
    failure =
      error instanceof Error ? error : error === undefined ? undefined : new Error('helmet rejected its options');
  });
  if (failure) {
    throw failure;
  }
  return headers;
}
