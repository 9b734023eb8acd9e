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

  it('runs only the budgeted Fastify hooks on a route: no onResponse hook of its own, none of multipart', () => {
    const routes = app.getHttpAdapter().getInstance().printRoutes({ includeHooks: true, commonPrefix: false });
    const live = routes.split('\n');
    const start = live.findIndex((line) => line.includes('/health/live (GET)'));
    const hooks: Record<string, number> = {};
    for (const line of live.slice(start + 1)) {
      const hook = /• \((\w+)\) (\[.*\])/.exec(line);
      if (!hook) {
        break;
      }
      hooks[hook[1]] = (JSON.parse(hook[2]) as string[]).length;
    }
    // NestJS's FastifyAdapter adds six onRequest hooks, its middleware runner and one
    // onResponse hook to every route of every Nest app; the API adds two onRequest hooks
    // (lingering close; the security headers and request id) and the 405 check. The log
    // line and the metric come from Fastify's log controller, which needs no hook.
    expect(hooks).toEqual({ onRequest: 6 + 1 + 2, preParsing: 1, onResponse: 1 });
  });
});
