import { ESLint } from 'eslint';
import { REPO_ROOT } from './dependency-cruise';

/**
 * The names dependency-cruiser cannot see (it sees modules, not what is imported from
 * them), checked by ESLint's no-restricted-imports in eslint.config.mjs: each case is a
 * source text linted with the project's config as if it were the named file.
 */
const CASES: Array<{ file: string; source: string; refused: string[] }> = [
  // Refused: PostgreSQL reached other than through Database.
  {
    file: 'libs/orders/src/injected.entity.ts',
    source: "import { DataSource, Entity } from 'typeorm';",
    refused: ['DataSource'],
  },
  {
    file: 'libs/orders/src/injected.module.ts',
    source: "import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';",
    refused: ['InjectDataSource'],
  },
  {
    file: 'libs/orders/src/injected-helper.ts',
    source: "import type { EntityManager } from 'typeorm';",
    refused: ['EntityManager'],
  },
  {
    file: 'libs/orders/src/injected.repository.ts',
    source: "import { Repository } from 'typeorm';",
    refused: ['Repository'],
  },
  {
    file: 'libs/orders/src/injected.repository.ts',
    source: "import { TransactionHost } from '@nestjs-cls/transactional';",
    refused: ['TransactionHost'],
  },
  {
    file: 'libs/orders/src/injected.service.ts',
    source: "import { TransactionHost, Transactional } from '@nestjs-cls/transactional';",
    refused: ['TransactionHost'],
  },
  {
    file: 'libs/platform/src/jobs/exclusive-job-runner.ts',
    source: "import { DataSource } from 'typeorm';",
    refused: ['DataSource'],
  },
  // Allowed: what each of those files is for.
  { file: 'libs/orders/src/injected.entity.ts', source: "import { Column, Entity } from 'typeorm';", refused: [] },
  {
    file: 'libs/orders/src/injected.module.ts',
    source: "import { TypeOrmModule } from '@nestjs/typeorm';",
    refused: [],
  },
  {
    file: 'libs/orders/src/injected.service.ts',
    source: "import { Transactional } from '@nestjs-cls/transactional';",
    refused: [],
  },
  {
    file: 'libs/platform/src/database/injected.ts',
    source: "import { TransactionHost } from '@nestjs-cls/transactional'; import { EntityManager } from 'typeorm';",
    refused: [],
  },
  {
    file: 'libs/platform/src/jobs/exclusive-job-runner.ts',
    source: "import { Propagation, TransactionHost } from '@nestjs-cls/transactional';",
    refused: [],
  },
];

describe('database imports by name (eslint.config.mjs, no-restricted-imports)', () => {
  // Only this rule, and no type information: the cases are texts, not files of the TypeScript project.
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });

  it.each(CASES)('$file: $source', async ({ file, source, refused }) => {
    const [result] = await eslint.lintText(`${source}\n`, { filePath: `${REPO_ROOT}/${file}` });
    const messages = result.messages.map((message) => `${message.ruleId}: ${message.message}`);
    expect(messages).toHaveLength(refused.length);
    refused.forEach((name, index) =>
      expect(messages[index]).toMatch(new RegExp(`^no-restricted-imports: '${name}' import from`)),
    );
  });
});
