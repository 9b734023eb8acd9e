/**
 * Four jest projects, one run (`npm test`); `--selectProjects <name>` runs one.
 *
 * - unit: `*.spec.ts` next to the code under apps/ and libs/. Pure logic, services
 *   with their repositories substituted: no build, no database, no server, so no
 *   globalSetup (`npm run test:unit`, seconds).
 * - component: `test/component/**\/*.component-spec.ts`, one platform component
 *   (cache, messaging, outbox, storage, jobs) against real servers, no HTTP.
 * - e2e: `*.e2e-spec.ts` under test/, the whole app over HTTP or as built processes.
 * - architecture: `test/architecture/*.spec.ts`, checks of the code (layering rules
 *   proven by injected violations, SQL snapshots); no database, not fast.
 *
 * component and e2e share one globalSetup (jest runs a setup file once however many
 * projects name it): the run's own database, migrated, dropped by the teardown.
 * ts-jest compiles with the Swagger CLI plugin, exactly as `nest build` does, so the
 * OpenAPI document under test is the real one (and DTO metadata in unit specs too).
 */
const swaggerPlugin = { path: '<rootDir>/test/support/swagger-plugin-transformer.js' };

const shared = {
  rootDir: __dirname,
  moduleFileExtensions: ['js', 'json', 'ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/generator-sandbox/'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: '<rootDir>/tsconfig.spec.json',
        astTransformers: { before: [swaggerPlugin] },
        // The typed-client example imports types its test generates at run time; the
        // test type-checks it itself, against those fresh types.
        diagnostics: { exclude: ['**/test/client/example.ts'] },
      },
    ],
  },
  moduleNameMapper: {
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testEnvironment: 'node',
  // Environment defaults only (NODE_ENV, quiet logs, test secret): no I/O.
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
};

const withServers = {
  ...shared,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

const projects = [
  { ...shared, displayName: 'unit', roots: ['<rootDir>/apps', '<rootDir>/libs'], testRegex: '\\.spec\\.ts$' },
  {
    ...withServers,
    displayName: 'component',
    roots: ['<rootDir>/test/component'],
    testRegex: '\\.component-spec\\.ts$',
  },
  { ...withServers, displayName: 'e2e', roots: ['<rootDir>/test'], testRegex: '\\.e2e-spec\\.ts$' },
  // Checks of the code itself (layering rules, SQL snapshots): no database either, but
  // they lint and cruise copies of the tree, so they stay out of the fast unit loop.
  { ...shared, displayName: 'architecture', roots: ['<rootDir>/test/architecture'], testRegex: '\\.spec\\.ts$' },
];

// `npm run test:unit` and `test:component` name their project in JEST_PROJECT: jest's
// `--selectProjects` takes a list, which would also swallow the paths npm appends.
const only = process.env.JEST_PROJECT;
const selected = only ? projects.filter((project) => project.displayName === only) : projects;
if (selected.length === 0) {
  throw new Error(
    `JEST_PROJECT=${only} names no project (${projects.map((project) => project.displayName).join(', ')})`,
  );
}

module.exports = {
  rootDir: __dirname,
  projects: selected,
  // Lists skipped suites and why; fails the run on any skip under CI_REQUIRE_NO_SKIPS=1.
  reporters: ['default', '<rootDir>/test/support/skip-report.js'],
  testTimeout: 60_000,
  // The machine has 2 CPUs; the e2e specs start whole apps, more workers only contend.
  maxWorkers: 2,
};
