// Jest runs the TypeScript sources as real ESM (swc strips types; tsc type-checks in `npm run build`).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30000,
  // Most suites wait on a spawned CLI or a server: two workers keep both cores busy (jest's default is cores - 1).
  maxWorkers: 2,
  // Real servers, each only when its test files are selected: Neo4j for test/neo4j/ (started in the background),
  // PostgreSQL for test/postgres/; each suite is skipped with a reason when its server cannot run here.
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testSequencer: '<rootDir>/test/neo4j/sequencer.mjs',
};
