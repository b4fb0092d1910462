// What the CLI loads at start-up: a plan on a snapshot must not pay for the libraries only some commands need
// (YAML for manifests and mappings, jsonc-parser for error locations, csv-parse, tinyglobby, ajv, the Neo4j and
// PostgreSQL drivers). Checked by listing the packages and files Node actually loads (a module-loader hook), not by
// timing. The CLI is one esbuild bundle (dist/bundle/, scripts/build-cli.mjs) with yargs, chalk and graphology
// inside: a command that needs nothing else loads no package from node_modules at all. Node's own modules count too:
// the bundle loads crypto, zlib, worker_threads, perf_hooks, assert … on first use (scripts/build-cli.mjs), so a plan
// on a snapshot loads none of them.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { BIN, MANIFESTS, ROOT, SAMPLE, workdir } from '../helpers/cli.js';

// Node ≥ 22.15 runs module.registerHooks in the loading thread, so every line reaches stderr before the CLI's
// process.exit; older Node only has the off-thread module.register.
const HOOK = `data:text/javascript,${encodeURIComponent(`
import * as mod from 'node:module';
const report = \`function report(url) {
    const m = /node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)\\\\//.exec(url);
    if (m) process.stderr.write('LOADED ' + m[1] + '\\\\n');
    else if (url.includes('/dist/')) process.stderr.write('FILE ' + url.slice(url.lastIndexOf('/dist/') + 1) + '\\\\n');
  }\`;
if (mod.registerHooks) mod.registerHooks({ load: (url, context, next) => (eval('(' + report + ')')(url), next(url, context)) });
else mod.register('data:text/javascript,' + encodeURIComponent(report + \`
  export async function load(url, context, next) {
    report(url);
    return next(url, context);
  }\`));
`)}`;

// Packages loaded through require (CommonJS, which the ESM hook does not see in Node 20), and Node's public built-in
// modules (process.moduleLoadList): listed at exit.
const CJS_HOOK = `process.on('exit', () => {
  for (const f of Object.keys(require.cache)) {
    const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f);
    if (m) process.stderr.write('LOADED ' + m[1] + '\\n');
    else if (f.includes('/dist/')) process.stderr.write('FILE ' + f.slice(f.lastIndexOf('/dist/') + 1) + '\\n');
  }
  for (const m of process.moduleLoadList) if (/^NativeModule (?!internal\\/)[a-z_/]+$/.test(m)) process.stderr.write('BUILTIN ' + m.slice(13) + '\\n');
});`;

/** The built-in modules that a plan on a snapshot does not need (each costs 1–8 ms of CPU to load). */
const HEAVY_BUILTINS = ['assert', 'child_process', 'crypto', 'http', 'https', 'perf_hooks', 'readline', 'worker_threads', 'zlib'];

/** The packages (from node_modules), the files of dist/ and Node's built-in modules that the CLI loads for `args`. */
function loads(args: string[]): { packages: Set<string>; files: string[]; builtins: Set<string> } {
  const cjsHook = join(workdir(), 'cjs-hook.cjs');
  writeFileSync(cjsHook, CJS_HOOK);
  const r = spawnSync(process.execPath, ['--import', HOOK, '--require', cjsHook, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', BLASTGUARD_TRACE_CODE_CACHE: '1' },
  });
  expect(r.status).toBeLessThan(2);
  // The bundle runs as a script (src/cli/launch.ts), which no module hook sees: the launcher's trace names it.
  const bundles = [...r.stderr.matchAll(/^code cache: running \S*\/(dist\/bundle\/\S+)$/gm)].map((m) => m[1]);
  return {
    packages: new Set([...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1])),
    files: [...bundles, ...[...r.stderr.matchAll(/^FILE (\S+)$/gm)].map((m) => m[1])],
    builtins: new Set([...r.stderr.matchAll(/^BUILTIN (\S+)$/gm)].map((m) => m[1])),
  };
}

const packagesLoaded = (args: string[]) => loads(args).packages;

test('plan on a snapshot runs the bundle and loads no package but ajv runtime helpers: no yaml, jsonc-parser, csv-parse, tinyglobby or driver', () => {
  const { packages, files } = loads(['plan', 'site:globex', '--graph', SAMPLE]);
  expect(files).toContain('dist/bundle/cli.cjs'); // the bin runs the bundle (through the launcher's code cache)
  // Not the unbundled tsc modules; the precompiled snapshot validator (CommonJS) is seen where Node's hook sees require.
  expect(files.filter((f) => !f.startsWith('dist/bundle/') && f !== 'dist/validators/snapshot.schema.cjs')).toEqual([]);
  // Only the precompiled snapshot validator's few runtime helpers of ajv, never its compiler (ajv/dist/core).
  expect([...packages].filter((p) => p !== 'ajv')).toEqual([]);
});

test("plan on a snapshot loads none of Node's heavier built-ins; a plan written with --out loads crypto for its digest", () => {
  const plain = loads(['plan', 'site:globex', '--graph', SAMPLE]).builtins;
  expect(plain.has('fs')).toBe(true); // the hook sees the built-ins
  expect(HEAVY_BUILTINS.filter((b) => plain.has(b))).toEqual([]);
  const help = loads(['--help']).builtins;
  expect(HEAVY_BUILTINS.filter((b) => help.has(b))).toEqual([]);
  // Loaded on first use, not never: the plan file's fingerprint is a sha256.
  const out = loads(['plan', 'site:globex', '--graph', SAMPLE, '--out', join(workdir(), 'plan.json')]).builtins;
  expect(out.has('crypto')).toBe(true);
  expect(HEAVY_BUILTINS.filter((b) => out.has(b) && b !== 'crypto')).toEqual([]);
});

test('--version loads no module of the CLI at all, --help no package', () => {
  const version = loads(['--version']);
  expect(version.files).toEqual([]);
  expect([...version.packages]).toEqual([]);
  const help = loads(['--help']);
  expect(help.files).toContain('dist/bundle/cli.cjs');
  expect([...help.packages]).toEqual([]);
});

test('--version prints the same line through the fast path and through yargs', () => {
  const fast = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  const slow = spawnSync(process.execPath, [BIN, '--version', '--no-color'], { encoding: 'utf8' });
  expect(fast.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  expect(slow.stdout).toBe(fast.stdout);
});

test('check on a YAML manifest loads yaml when it needs it', () => {
  const loaded = packagesLoaded(['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), '--graph', SAMPLE]);
  expect(loaded.has('yaml')).toBe(true);
  expect(loaded.has('jsonc-parser')).toBe(false); // only to locate an error
});
