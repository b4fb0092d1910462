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
    // Escaping control characters is this tool's job (src/report/text.ts): regular expressions name them on purpose.
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests, the benchmark, build scripts and the sample maintenance script talk to the terminal on purpose; tests
    // poke at parsed JSON, where `any` is the honest type.
    files: ['test/**', 'bench/**', 'scripts/**', 'samples/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Code passed to page.evaluate() runs in the browser.
    files: ['scripts/docs-screenshot.mjs', 'test/browser/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
