// The library's types, as a TypeScript maintenance script sees them through `import … from 'blastguard'`.
import { expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

test('a TypeScript maintenance script type-checks against the published declarations, and misuse does not', () => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'test', 'fixtures', 'consumer', 'tsconfig.json')], { encoding: 'utf8', cwd: ROOT });
  // Each misuse in the fixture is marked @ts-expect-error: were a type `any`, tsc would fail on the unused directive.
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
});
