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
  // One real Neo4j server for test/neo4j/ (started in the background; skipped with a reason without Java/Maven).
  globalSetup: '<rootDir>/test/neo4j/global-setup.mjs',
  globalTeardown: '<rootDir>/test/neo4j/global-teardown.mjs',
  testSequencer: '<rootDir>/test/neo4j/sequencer.mjs',
};
