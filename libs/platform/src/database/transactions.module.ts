import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule } from 'nestjs-cls';
import { TransactionalAdapterPgPool } from './pg-transactions';

/**
 * Transactions in async-local storage (nestjs-cls with its transactional plugin): a
 * service's @Transactional() method opens one, and every repository call under it runs
 * in it. No CLS middleware: a context is opened only by a transaction.
 *
 * `ClsModule.forRoot` registers a global guard and a global interceptor even when it is
 * told to mount neither (then they are no-ops: `canActivate: () => true`,
 * `next.handle()`). A global interceptor puts every route through Nest's rxjs
 * interceptor pipeline: measured +17 µs (+35 % CPU) on the cached product GET. They
 * are taken out here; `test/e2e/platform/global-enhancers.e2e-spec.ts` holds the app to
 * its one global guard and no global interceptor.
 */
export function transactionsModule(): DynamicModule {
  const cls = ClsModule.forRoot({
    global: true,
    plugins: [
      new ClsPluginTransactional({
        adapter: new TransactionalAdapterPgPool(),
      }),
    ],
  });
  for (const imported of cls.imports ?? []) {
    if (isDynamicModule(imported) && imported.providers) {
      imported.providers = imported.providers.filter((provider) => !isGlobalEnhancer(provider));
    }
  }
  return cls;
}

function isDynamicModule(value: unknown): value is DynamicModule {
  return typeof value === 'object' && value !== null && 'module' in value;
}

function isGlobalEnhancer(provider: Provider): boolean {
  return (
    typeof provider === 'object' &&
    'provide' in provider &&
    (provider.provide === APP_GUARD || provider.provide === APP_INTERCEPTOR)
  );
}
