import { ClsPluginTransactional, NoOpTransactionalAdapter } from '@nestjs-cls/transactional';
import type { Provider, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ClsModule } from 'nestjs-cls';

/**
 * A service for a unit spec, its collaborators substituted: `@Transactional()` methods
 * run as they do in the app (the transactional plugin is there) but open no real
 * transaction, so the spec needs no database. Propagation rules still apply: a
 * `Propagation.Mandatory` method called outside a `@Transactional()` one throws.
 */
export async function serviceUnderTest<T>(service: Type<T>, substitutes: Provider[]): Promise<T> {
  const module = await Test.createTestingModule({
    imports: [
      ClsModule.forRoot({
        plugins: [
          new ClsPluginTransactional({ adapter: new NoOpTransactionalAdapter({ tx: {}, disableWarning: true }) }),
        ],
      }),
    ],
    providers: [service, ...substitutes],
  }).compile();
  return module.get(service);
}
