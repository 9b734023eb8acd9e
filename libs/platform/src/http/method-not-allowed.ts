import type { FastifyInstance } from 'fastify';
import { buildProblem, PROBLEM_CONTENT_TYPE } from './problem-details';

interface RoutePattern {
  /** Path segments; `null` is a parameter, which matches any one non-empty segment. */
  segments: Array<string | null>;
  /** The pattern ends in `*` (matches any rest, as @fastify/static's routes do). */
  rest: boolean;
  methods: Set<string>;
}

/**
 * Which methods answer a path, built once from the routes as Fastify registers them
 * (onRoute), and read only when a request found no route: a path that exists under
 * other methods is a 405 with `Allow` (RFC 9110 15.5.6), not a 404.
 *
 * The match follows Fastify's router for the route shapes this API has (static
 * segments, `:param` segments, a trailing `*`); routes registered for every path
 * (`*`, the CORS preflight's OPTIONS) only add their methods to every `Allow`.
 */
export class MethodTable {
  private readonly patterns = new Map<string, RoutePattern>();
  private readonly everywhere = new Set<string>();

  add(url: string, methods: string | string[]): void {
    const list = Array.isArray(methods) ? methods : [methods];
    if (url === '*' || url === '/*') {
      list.forEach((method) => this.everywhere.add(method));
      return;
    }
    let pattern = this.patterns.get(url);
    if (!pattern) {
      const rest = url.endsWith('*');
      const segments = (rest ? url.slice(0, -1) : url)
        .split('/')
        .map((segment) => (segment.includes(':') ? null : segment));
      if (rest) {
        segments.pop();
      }
      pattern = { segments, rest, methods: new Set() };
      this.patterns.set(url, pattern);
    }
    list.forEach((method) => pattern.methods.add(method));
  }

  /** The methods some route answers `path` with (sorted), or undefined when no route has this path. */
  allowed(path: string): string[] | undefined {
    const segments = path.split('/');
    const methods = new Set<string>();
    for (const pattern of this.patterns.values()) {
      if (matches(pattern, segments)) {
        pattern.methods.forEach((method) => methods.add(method));
      }
    }
    if (methods.size === 0) {
      return undefined;
    }
    this.everywhere.forEach((method) => methods.add(method));
    return [...methods].sort();
  }
}

function matches(pattern: RoutePattern, segments: string[]): boolean {
  if (pattern.rest ? segments.length < pattern.segments.length : segments.length !== pattern.segments.length) {
    return false;
  }
  return pattern.segments.every((expected, index) =>
    expected === null ? segments[index] !== '' : expected === segments[index],
  );
}

/**
 * Answers a request for a known path with an unsupported method as a 405 problem.
 * The check costs one property read per request; the table is searched only for
 * requests that found no route. Install it before any route is registered.
 */
export function installMethodNotAllowed(fastify: FastifyInstance): MethodTable {
  const table = new MethodTable();
  fastify.addHook('onRoute', (route) => table.add(route.url, route.method));
  // preParsing: after every onRequest hook (request id, security and CORS headers),
  // before a body is read for a request that has no route to take it.
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (!request.is404) {
      done(null, payload);
      return;
    }
    const query = request.url.indexOf('?');
    const allow = table.allowed(query < 0 ? request.url : request.url.slice(0, query));
    if (allow === undefined) {
      done(null, payload);
      return;
    }
    const problem = buildProblem({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      detail: `${request.method} is not allowed here; see the Allow header.`,
      requestId: request.id,
    });
    void reply
      .code(405)
      .header('allow', allow.join(', '))
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  });
  return table;
}
