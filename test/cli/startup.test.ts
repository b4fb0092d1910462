// What the CLI loads at start-up: a plan on a snapshot must not pay for the libraries only some commands need
// (YAML for manifests and mappings, jsonc-parser for error locations, csv-parse, tinyglobby). Checked by listing
// the packages Node actually loads (a module-loader hook), not by timing.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { BIN, MANIFESTS, ROOT, SAMPLE, workdir } from '../helpers/cli.js';

const HOOK = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  export async function load(url, context, next) {
    const m = /node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)\\\\//.exec(url);
    if (m) process.stderr.write('LOADED ' + m[1] + '\\\\n');
    return next(url, context);
  }\`));
`)}`;

// Packages loaded through require (CommonJS, which the ESM hook does not see in Node 20): listed at exit.
const CJS_HOOK = `process.on('exit', () => {
  for (const f of Object.keys(require.cache)) {
    const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f);
    if (m) process.stderr.write('LOADED ' + m[1] + '\\n');
  }
});`;

function packagesLoaded(args: string[]): Set<string> {
  const cjsHook = join(workdir(), 'cjs-hook.cjs');
  writeFileSync(cjsHook, CJS_HOOK);
  const r = spawnSync(process.execPath, ['--import', HOOK, '--require', cjsHook, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(r.status).toBeLessThan(2);
  return new Set([...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]));
}

test('plan on a snapshot loads neither yaml, jsonc-parser, csv-parse, tinyglobby nor the Neo4j driver', () => {
  const loaded = packagesLoaded(['plan', 'site:globex', '--graph', SAMPLE]);
  expect(loaded.has('yargs')).toBe(true); // the hooks see packages at all
  expect(loaded.has('graphology')).toBe(true);
  for (const lazy of ['yaml', 'jsonc-parser', 'csv-parse', 'tinyglobby', 'neo4j-driver'])
    expect({ lazy, loaded: loaded.has(lazy) }).toEqual({ lazy, loaded: false });
});

test('check on a YAML manifest loads yaml when it needs it', () => {
  const loaded = packagesLoaded(['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), '--graph', SAMPLE]);
  expect(loaded.has('yaml')).toBe(true);
  expect(loaded.has('jsonc-parser')).toBe(false); // only to locate an error
});
