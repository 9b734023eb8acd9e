/**
 * One jest run for everything: unit specs next to the code (`*.spec.ts`) and e2e
 * specs under test/ (`*.e2e-spec.ts`). ts-jest compiles with the Swagger CLI plugin,
 * exactly as `nest build` does, so the OpenAPI document under test is the real one.
 */
const swaggerPlugin = { path: '<rootDir>/test/support/swagger-plugin-transformer.js' };

module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
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
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
