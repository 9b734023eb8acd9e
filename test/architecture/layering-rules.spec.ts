import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { copyOfTheTree, cruise, Violation } from './dependency-cruise';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require('../../.dependency-cruiser.js') as { forbidden: Array<{ name: string }> };

/**
 * One injected violation per rule of `.dependency-cruiser.js`: new files, named so the
 * rule applies to them, each importing what its rule forbids. Type-only imports are used
 * where they prove `import type` is seen too.
 */
const INJECTIONS: Array<{ rule: string; files: Record<string, string> }> = [
  {
    rule: 'no-circular',
    files: {
      'libs/orders/src/injected-cycle-a.ts': "import { b } from './injected-cycle-b';\nexport const a = () => b;\n",
      'libs/orders/src/injected-cycle-b.ts': "import { a } from './injected-cycle-a';\nexport const b = () => a;\n",
    },
  },
  {
    rule: 'no-lib-imports-app',
    files: {
      'libs/orders/src/injected-app-import.ts': "export { ApiModule } from '../../../apps/api/src/api.module';\n",
    },
  },
  {
    rule: 'platform-knows-no-feature',
    files: { 'libs/platform/src/injected-feature-import.ts': "export { OrdersModule } from '@app/orders';\n" },
  },
  {
    rule: 'libs-through-public-index',
    files: {
      'libs/orders/src/injected-deep-import.ts': "export { ProductsService } from '@app/catalog/products.service';\n",
    },
  },
  {
    rule: 'no-orm-in-services-or-controllers',
    files: {
      'libs/orders/src/injected-orm.service.ts':
        "import type { EntityManager } from 'typeorm';\nexport type Manager = EntityManager;\n",
    },
  },
  {
    rule: 'no-fastify-in-services-or-controllers',
    files: {
      'libs/orders/src/injected-raw-reply.controller.ts':
        "import type { FastifyReply } from 'fastify';\nexport type Reply = FastifyReply;\n",
    },
  },
  {
    rule: 'controllers-use-no-repository',
    files: {
      'libs/orders/src/injected-repository-user.controller.ts':
        "export { OrdersRepository } from './orders.repository';\n",
    },
  },
  {
    rule: 'typeorm-only-in-platform-database',
    files: { 'libs/orders/src/injected-data-access.repository.ts': "export { DataSource } from 'typeorm';\n" },
  },
  {
    rule: 'nest-typeorm-only-in-modules-and-platform-database',
    files: {
      'libs/orders/src/injected-inject-data-source.repository.ts':
        "export { InjectDataSource } from '@nestjs/typeorm';\n",
    },
  },
];

const key = (violation: Violation) => `${violation.rule} ${violation.from} -> ${violation.to}`;

/**
 * The rules of `.dependency-cruiser.js` are not vacuous: in a copy of the tree, each
 * injected violation is reported, by its rule and no other. And the real tree passes.
 */
describe('layering rules (.dependency-cruiser.js)', () => {
  let baseline: Violation[];
  let injected: Violation[];

  beforeAll(async () => {
    const copy = copyOfTheTree();
    try {
      baseline = await cruise(copy.root);
      for (const { files } of INJECTIONS) {
        for (const [file, text] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(copy.root, file)), { recursive: true });
          writeFileSync(path.join(copy.root, file), text);
        }
      }
      const before = new Set(baseline.map(key));
      injected = (await cruise(copy.root)).filter((violation) => !before.has(key(violation)));
    } finally {
      copy.remove();
    }
  }, 120_000);

  it('has an injected violation for every rule', () => {
    expect(INJECTIONS.map((injection) => injection.rule).sort()).toEqual(
      config.forbidden.map((rule) => rule.name).sort(),
    );
  });

  it.each(INJECTIONS)('$rule: reports the injected violation, by that rule alone', ({ rule, files }) => {
    const fromInjection = injected.filter((violation) => violation.from in files);
    expect(fromInjection.length).toBeGreaterThan(0);
    expect([...new Set(fromInjection.map((violation) => violation.rule))]).toEqual([rule]);
  });

  it('reports nothing beyond the injected files', () => {
    const injectedFiles = new Set(INJECTIONS.flatMap((injection) => Object.keys(injection.files)));
    expect(injected.filter((violation) => !injectedFiles.has(violation.from)).map(key)).toEqual([]);
  });

  // The untouched copy is the real tree: `npm run lint` would report the same.
  it('passes on the real tree', () => {
    expect(baseline.map(key)).toEqual([]);
  });
});
