// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

// Libraries talk to each other through their public `@app/<lib>` entry only.
const libBoundaries = [
  { group: ['../../*/src/*', '../../../libs/*', '../../libs/*'], message: 'Import other libs through @app/<lib>.' },
  // One exception: the Node version check each app's main imports first (before the index loads anything).
  {
    group: ['@app/*/*', '!@app/platform/require-supported-node', '!@app/platform/start-tracing'],
    message: 'Import a lib through its public index: @app/<lib>.',
  },
];

// The database by name, which dependency-cruiser (modules, not names) cannot see: an entity may
// import typeorm's decorators and a module TypeOrmModule, but only libs/platform/src/database
// takes a DataSource, an EntityManager or a QueryRunner (repositories inject its Database), and
// reads the current transaction (services open one with @Transactional()). Cases in
// test/architecture/database-imports.spec.ts.
const reachesTheDatabase = 'PostgreSQL is reached through Database from @app/platform (libs/platform/src/database).';
const ormAccess = [
  {
    name: 'typeorm',
    importNames: ['DataSource', 'EntityManager', 'QueryRunner', 'Repository'],
    message: reachesTheDatabase,
  },
  {
    name: '@nestjs/typeorm',
    importNames: ['InjectDataSource', 'InjectEntityManager', 'InjectRepository'],
    message: reachesTheDatabase,
  },
];
const transactionAccess = [
  {
    name: '@nestjs-cls/transactional',
    importNames: ['TransactionHost'],
    message: "The current transaction is Database's business: open one with @Transactional() on a service method.",
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs', 'test/output/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  // Every regex in the code (route patterns, validation, parsing) is checked for
  // catastrophic backtracking (ReDoS) and other mistakes.
  regexp.configs['flat/recommended'],
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
      eqeqeq: ['error', 'always'],
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'regexp/no-misleading-capturing-group': 'error',
      curly: ['error', 'all'],
      'no-restricted-imports': ['error', { patterns: libBoundaries, paths: [...ormAccess, ...transactionAccess] }],
    },
  },
  {
    files: [
      'libs/platform/src/database/**/*.ts',
      // The typeorm CLI's data source (migrations).
      'ormconfig.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: libBoundaries }] },
  },
  {
    // The cron lock: a transaction of its own (Propagation.RequiresNew) holds the advisory lock
    // while the job runs outside it (withoutTransaction), which @Transactional() cannot say.
    files: ['libs/platform/src/jobs/exclusive-job-runner.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: libBoundaries, paths: ormAccess }] },
  },
  {
    // Tests and their support code may reach into apps, and may be looser with types.
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
