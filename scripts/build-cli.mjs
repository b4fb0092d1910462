// Bundles the CLI (src/cli/index.ts and every module it reaches) into dist/bundle/ with esbuild, so a command
// starts by reading a few files instead of resolving and compiling ~150 modules one by one. The library (dist/api.js)
// is not bundled: it stays the tsc output that `import 'blastguard'` loads.
//
// Layout rule: the bundle sits two levels below the package root (dist/bundle/), exactly like every tsc module
// (dist/cli/, dist/model/ …), so the `new URL('../../…', import.meta.url)` paths in the sources (package.json,
// schemas/, dist/report-client.js, dist/validators/, dist/ingest/ndjson-worker.js) resolve the same from both.
// The small pure-JS packages every command needs (yargs, chalk, graphology and their dependencies) are bundled in:
// resolving and compiling yargs's ~40 files was most of the start-up. The rest stay external, loaded from
// node_modules only by the commands that use them: the heavy ones (neo4j-driver, pg) through dynamic import()
// (kept as separate chunks), the lazy ones (yaml, jsonc-parser, csv-parse, tinyglobby, ajv) through a lazy require.
// Bundled yargs speaks English only (its translations are files it would look for beside itself), like the rest of
// the CLI.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Loaded at run time from node_modules, only where needed (test/cli/startup.test.ts checks which). */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Bundled: what every command loads. Every other dependency stays external (a new one too: bundling a driver by
// accident broke mysql2, whose dynamic require()s an ESM bundle cannot serve).
const BUNDLED = new Set(['yargs', 'chalk', 'graphology', 'graphology-types']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const EXTERNAL = Object.keys(dependencies)
  .filter((d) => !BUNDLED.has(d))
  .flatMap((d) => [d, `${d}/*`]);
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
// yargs renders the whole help text of a command every time that command runs (string widths, wrapping: tens of
// ms), only so that a handler could print help later. No handler does (the CLI prints usage errors as one line):
// skip it. A yargs release that changes this code fails the build here instead of silently keeping the cost.
const HELP_CACHE = 'self.cacheHelpMessage = function () {\n        cachedHelpMessage = this.help();\n    };';
const skipHelpCache = {
  name: 'yargs-skip-help-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]usage\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(HELP_CACHE)) throw new Error(`${args.path}: yargs's cacheHelpMessage changed; review scripts/build-cli.mjs`);
      return { contents: text.replace(HELP_CACHE, 'self.cacheHelpMessage = function () {};'), loader: 'js' };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir,
  bundle: true,
  splitting: true, // dynamic import() (Neo4j, PostgreSQL) becomes a chunk loaded only by the commands that use it
  format: 'esm',
  platform: 'node',
  target: 'node22', // package.json engines; also keeps regex literals (esbuild rewrites a /v literal into new RegExp() for older targets, compiled at start-up)
  external: EXTERNAL,
  chunkNames: '[name]-[hash]', // beside cli.js: the same depth, so import.meta.url paths hold in chunks too
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [skipHelpCache],
});
