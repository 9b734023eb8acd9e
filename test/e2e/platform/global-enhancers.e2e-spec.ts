import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestApp } from '../../support/test-app';

/**
 * What runs on every request is a performance budget (docs/performance.md): one global
 * guard, no global interceptor. A library that registers its own global enhancer (as
 * nestjs-cls does, even when told to mount nothing) fails this test instead of quietly
 * slowing every route down. Route-scoped interceptors are counted too: any interceptor
 * puts its route through Nest's rxjs pipeline, which is why @CachedResponse wraps its
 * handler instead (docs/decisions.md).
 */
describe('global enhancers of the API', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('has exactly one global guard, the access guard, and no global interceptor', () => {
    // NestApplication keeps its ApplicationConfig private; these are its public getters.
    const config = (app as unknown as { config: ApplicationConfig }).config;
    expect(config.getGlobalGuards().map((guard) => guard.constructor.name)).toEqual(['RequestAccessGuard']);
    expect(config.getGlobalRequestGuards()).toEqual([]);
    expect(config.getGlobalInterceptors()).toEqual([]);
    expect(config.getGlobalRequestInterceptors()).toEqual([]);
  });

  it('puts Nest interceptors only on the two idempotent writes, never on a cached read', () => {
    const withInterceptors: string[] = [];
    for (const module of app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        const controller = metatype as { name: string; prototype: Record<string, unknown> };
        const targets: [string, object][] = [[controller.name, controller]];
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[name];
          if (name !== 'constructor' && typeof handler === 'function') {
            targets.push([`${controller.name}.${name}`, handler]);
          }
        }
        for (const [label, target] of targets) {
          if (((Reflect.getMetadata(INTERCEPTORS_METADATA, target) as unknown[] | undefined) ?? []).length > 0) {
            withInterceptors.push(label);
          }
        }
      }
    }
    // Idempotency's interceptor replays a stored answer: on a write whose transaction costs
    // about a millisecond, the pipeline's few microseconds do not show.
    expect(withInterceptors.sort()).toEqual(['OrdersController.place', 'SubscriptionsController.subscribe']);
  });

  /**
   * The Fastify hooks of one route (`'GET /v1/products/:id'`), by hook name, read from
   * Fastify's own route listing: a tree whose nodes name a path segment and its methods,
   * each followed by its hooks.
   */
  function hooksOf(route: string): Record<string, string[]> {
    const listing = app.getHttpAdapter().getInstance().printRoutes({ includeHooks: true, commonPrefix: false });
    const nodes: Array<{ column: number; path: string }> = [];
    let current: Record<string, string[]> | undefined;
    const found = new Map<string, Record<string, string[]>>();
    for (const line of listing.split('\n')) {
      const hook = /• \((\w+)\) (\[.*\])$/u.exec(line);
      if (hook && current) {
        current[hook[1]] = JSON.parse(hook[2]) as string[];
        continue;
      }
      const node = /^([│ ]*)([├└]── )?(\/\S*) \(([A-Z, ]+)\)$/u.exec(line);
      if (!node) {
        current = undefined;
        continue;
      }
      // A line with a branch starts a node (a path segment); one without lists more
      // methods of the node above it.
      if (node[2] !== undefined) {
        const column = node[1].length + node[2].length;
        while (nodes.length > 0 && nodes[nodes.length - 1].column >= column) {
          nodes.pop();
        }
        nodes.push({ column, path: `${nodes.length > 0 ? nodes[nodes.length - 1].path : ''}${node[3]}` });
      }
      current = {};
      for (const method of node[4].split(', ')) {
        found.set(`${method} ${nodes[nodes.length - 1].path}`, current);
      }
    }
    const hooks = found.get(route);
    expect({ route, listed: hooks !== undefined }).toEqual({ route, listed: true });
    return hooks!;
  }
  const counted = (hooks: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(hooks).map(([name, list]) => [name, list.length]));

  it('runs only the budgeted Fastify hooks on a route: no onResponse hook of its own, none of multipart', () => {
    const hooks = counted(hooksOf('GET /health/live'));
    // NestJS's FastifyAdapter adds six onRequest hooks, its middleware runner and one
    // onResponse hook to every route of every Nest app; the API adds two onRequest hooks
    // (lingering close; the security headers and request id) and the 405 check. The log
    // line and the metric come from Fastify's log controller, which needs no hook.
    expect(hooks).toEqual({ onRequest: 6 + 1 + 2, preParsing: 1, onResponse: 1 });
  });

  it('keeps the cached routes out of the compression plugin (their cache compresses once per value)', () => {
    for (const route of [
      'GET /v1/products/:id',
      'GET /v1/products',
      'GET /v1/plans',
      'GET /v1/inventory/totals',
      'GET /v1/reports/sales',
    ]) {
      expect({ route, hooks: counted(hooksOf(route)) }).toEqual({
        route,
        hooks: { onRequest: 6 + 1 + 2, preParsing: 1, onResponse: 1 },
      });
    }
    // An uncached JSON route keeps the plugin's two hooks.
    expect(counted(hooksOf('GET /v1/users/me'))).toEqual({
      onRequest: 6 + 1 + 2 + 1,
      preParsing: 1,
      onSend: 1,
      onResponse: 1,
    });
  });
});
