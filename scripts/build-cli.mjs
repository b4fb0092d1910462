// Bundles the CLI (src/cli/index.ts and every module it reaches) into one CommonJS file, dist/bundle/cli.cjs, with
// esbuild, so a command starts by reading one file instead of resolving and compiling ~150 modules one by one; and
// the launcher that runs it (src/cli/launch.ts → dist/bundle/launch.cjs), which keeps V8's compiled code of the
// bundle on disk after a command has run (see launch.ts). The library (dist/api.js) is not bundled: it stays the tsc
// output that `import 'blastguard'` loads.
//
// CommonJS, not ESM: an ES module's code cache can only be made when it is compiled, before it runs, so it holds the
// top level and none of the functions a command then compiles (most of them: V8 compiles a function on its first
// call); a script's cache made after the command ran holds them all. Node offers that only for scripts.
//
// Layout rule: the bundle sits two levels below the package root (dist/bundle/), exactly like every tsc module
// (dist/cli/, dist/model/ …), so the `new URL('../../…', import.meta.url)` paths in the sources (package.json,
// schemas/, dist/report-client.js, dist/validators/, dist/ingest/ndjson-worker.js) resolve the same from both
// (import.meta.url becomes the bundle's own file URL).
// The small pure-JS packages every command needs (yargs, chalk, graphology and their dependencies) are bundled in:
// resolving and compiling yargs's ~40 files was most of the start-up. The rest stay external, loaded from
// node_modules only by the commands that use them: the heavy ones (neo4j-driver, pg, mysql2) where a dynamic import()
// stood (esbuild turns it into a require() run then; the code of ours that only they need is in the bundle but
// compiled only when first called), the lazy ones (yaml, jsonc-parser, csv-parse, tinyglobby, ajv) through a lazy
// require. Every external package has a CommonJS entry (checked below).
// Bundled yargs speaks English only (its translations are files it would look for beside itself), like the rest of
// the CLI.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
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
/** Edits of the bundled packages' sources, each checked: a release that changes the text fails the build here. */
function patched(path, edits) {
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`${path}: no longer contains ${JSON.stringify(from.slice(0, 60))}; review scripts/build-cli.mjs`);
    text = text.replace(from, to);
  }
  return text;
}

/**
 * Makes a module's top-level `const NAME = new Intl.Segmenter();` and `const NAME = /…/flags;` lazy: created on first
 * use. string-width (three copies, through yargs's help layout) builds an ICU segmenter and parses Unicode-property
 * regexes (/^\p{RGI_Emoji}$/v alone is ~10 ms) when loaded; a command that prints no help never measures a string.
 */
function lazyConstants(path) {
  const names = [];
  let text = readFileSync(path, 'utf8').replace(/^const (\w+) = (new Intl\.Segmenter\(\)|\/.+\/[a-z]*);$/gm, (_, name, value) => {
    names.push(name);
    return `let ${name}__value;\nconst ${name}__get = () => (${name}__value ??= ${value});`;
  });
  if (!names.some((n) => /segmenter/i.test(n))) throw new Error(`${path}: no top-level Intl.Segmenter; review scripts/build-cli.mjs`);
  for (const name of names) text = text.replace(new RegExp(`\\b${name}\\b(?!__)`, 'g'), `${name}__get()`);
  return text;
}

const patchPackages = {
  name: 'patch-packages',
  setup(b) {
    // yargs renders the whole help text of a command every time that command runs (string widths, wrapping: tens of
    // ms), only so that a handler could print help later. No handler does (the CLI prints usage errors as one line).
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]usage\.js$/ }, (args) => ({
      contents: patched(args.path, [
        ['self.cacheHelpMessage = function () {\n        cachedHelpMessage = this.help();\n    };', 'self.cacheHelpMessage = function () {};'],
      ]),
      loader: 'js',
    }));
    // yargs's invariants (notStrictEqual on every parse) would load node:assert (~3 ms of CPU): the same two checks,
    // with assert's comparison (Object.is); a failure is a bug either way (exit 3).
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => ({
      contents: patched(args.path, [
        [
          "import { notStrictEqual, strictEqual } from 'assert'\n",
          [
            'const notStrictEqual = (actual, expected, message) => {',
            '  if (Object.is(actual, expected)) throw new Error(message ?? `yargs: expected a value other than ${String(expected)}`);',
            '};',
            'const strictEqual = (actual, expected, message) => {',
            '  if (!Object.is(actual, expected)) throw new Error(message ?? `yargs: expected ${String(expected)}, got ${String(actual)}`);',
            '};',
            '',
          ].join('\n'),
        ],
      ]),
      loader: 'js',
    }));
    // yargs() starts by guessing a version: it walks up from the working directory listing each folder
    // (readdirSync) for a package.json and reads it. The CLI always sets its own version (src/cli/index.ts), which
    // replaces the guess: skip the walk, whose cost grows with the folders the user runs in.
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/ }, (args) => ({
      contents: patched(args.path, [['        yargs.help();\n        yargs.version();\n', '        yargs.help();\n']]),
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => ({ contents: lazyConstants(args.path), loader: 'js' }));
  },
};

// Node's built-in modules through require(), not import: an ESM import of a built-in builds its ES module facade, which
// reads every export, getters included, and so loads what the getters load (node:fs's facade loads fs/promises and
// readline, node:util's more of util): ~10 ms of CPU at every start. Each built-in becomes a tiny CommonJS module of
// the bundle, whose exports esbuild reads where they are used. Those that Node has not already loaded at start-up
// (crypto, zlib, stream, worker_threads, perf_hooks, os, assert …) are loaded on first use of an export: a plan on a
// snapshot needs none of them, and they cost ~20 ms of CPU together. Their export names are this Node's (the build's);
// a name the code imports is on every supported Node, or the code would fail there anyway.
const BUILTIN = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Already loaded by Node before any user code runs: nothing to gain from loading them late. */
const LOADED_AT_START = new Set(['buffer', 'events', 'fs', 'module', 'path', 'process', 'timers', 'url', 'util']);
const require = createRequire(import.meta.url);
/**
 * The exports of LOADED_AT_START that load more of Node when first read (fs.promises, util.parseArgs, util.diff …)
 * or warn that they are deprecated (fs.F_OK …), found in a fresh Node: they stay behind the module's default export (`fs.promises`); a named import of one fails
 * the build ("No matching export"), rather than loading it at every start.
 */
const LOADS_WHEN_READ = JSON.parse(
  execFileSync(process.execPath, [
    '-e',
    `const out = {};
    let warned = false;
    process.emitWarning = () => { warned = true; };
    for (const name of ${JSON.stringify([...LOADED_AT_START])}) {
      const m = require('node:' + name);
      out[name] = Object.keys(m).filter((k) => {
        // The descriptor before the read: a lazy getter (process.allowedNodeEnvironmentFlags) replaces itself with
        // a value when read, after doing its costly work. Asking for the descriptor may load modules too
        // (util.parseArgs, util.diff): counted.
        const before = process.moduleLoadList.length;
        const accessor = !('value' in Object.getOwnPropertyDescriptor(m, k));
        warned = false;
        void m[k];
        return accessor || process.moduleLoadList.length > before || warned;
      });
    }
    process.stdout.write(JSON.stringify(out));`,
  ]),
);
/** The bundle's module for built-in `id` (node:NAME). */
function builtinModule(id) {
  const name = id.slice('node:'.length);
  const real = require(id);
  if (LOADED_AT_START.has(name)) {
    // An ES module of the bundle: importers bind to its exports directly. Its named exports are the plain values
    // (an accessor such as fs.promises stays behind the default export, read only where used).
    const names = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k) && !LOADS_WHEN_READ[name].includes(k));
    const contents = [
      "import { req } from 'blastguard:require';",
      `const m = req(${JSON.stringify(id)});`,
      'export default m;',
      `export const { ${names.join(', ')} } = m;`,
      '',
    ].join('\n');
    return { contents, loader: 'js' };
  }
  // An ES module that re-exports the getters below: the one copy of them that esbuild makes (per CommonJS import).
  const lazy = JSON.stringify(`blastguard:lazy:${id}`);
  return { contents: `export * from ${lazy};\nexport { default } from ${lazy};\n`, loader: 'js' };
}

/** A CommonJS module whose exports are getters: built-in `id` is loaded when one is first read. */
function lazyBuiltin(id) {
  const real = require(id);
  const contents = [
    'let m;',
    `const load = () => (m ??= require('blastguard:require').req(${JSON.stringify(id)}));`,
    `for (const k of ${JSON.stringify(Object.keys(real).filter((k) => k !== 'default'))})`,
    '  Object.defineProperty(module.exports, k, { get: () => load()[k], enumerable: true });',
    '',
  ].join('\n');
  return { contents, loader: 'js' };
}
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!BUILTIN.has(args.path) || args.path.replace(/^node:/, '') === 'module') return undefined;
      return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'builtin' };
    });
    // One shared require: the bundle's.
    b.onResolve({ filter: /^blastguard:require$/ }, () => ({ path: 'require', namespace: 'builtin-require' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, () => ({
      contents: 'export const req = require;\n', // the bundle's own require (launch.ts passes it in)
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => builtinModule(args.path));
    b.onResolve({ filter: /^blastguard:lazy:/ }, (args) => ({ path: args.path.slice('blastguard:lazy:'.length), namespace: 'builtin-lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-lazy' }, (args) => lazyBuiltin(args.path));
  },
};

// Every external package must load through require(): the bundle is CommonJS (a dynamic import() of an external
// package becomes a require() too). A package without a CommonJS entry would fail only when its command runs.
for (const dep of EXTERNAL.filter((d) => !d.endsWith('/*'))) {
  // require.resolve applies the "require" condition of the package's exports, as the bundle's require() will.
  const file = require.resolve(dep);
  const type = JSON.parse(readFileSync(join(root, 'node_modules', dep, 'package.json'), 'utf8')).type;
  if (file.endsWith('.mjs') || (file.endsWith('.js') && type === 'module'))
    throw new Error(`${dep}: require() resolves to an ES module (${file}); the CommonJS bundle needs a CommonJS entry (scripts/build-cli.mjs)`);
}

const common = {
  absWorkingDir: root,
  bundle: true,
  charset: 'ascii',
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  legalComments: 'none',
  logLevel: 'warning',
};
const result = await build({
  ...common,
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  // target node22 (package.json engines) also keeps regex literals: esbuild rewrites a /v literal into new RegExp()
  // for older targets, compiled at start-up.
  external: EXTERNAL,
  // The sources' import.meta.url (paths beside the package, createRequire) is the bundle's file URL.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  sourcemap: true,
  write: false,
  plugins: [patchPackages, builtinsByRequire],
});
// The bundle's last line names its content (launch.ts keys the code cache on it, with the file's size and time);
// the last, so the source map's lines stay true.
// ASCII only (charset above; regex literals and kept comments are not escaped by esbuild, so the sources spell such
// characters as \u escapes): launch.ts then reads the bundle as a one-byte string, faster than decoding UTF-8.
mkdirSync(outdir, { recursive: true });
for (const file of result.outputFiles) {
  const at = file.path.endsWith('.cjs') ? file.text.search(/[^\x00-\x7f]/) : -1;
  if (at >= 0) {
    const line = file.text.slice(0, at).split('\n').length;
    throw new Error(
      `${file.path}:${line}: a non-ASCII character (${JSON.stringify(file.text.slice(at - 30, at + 5))}); write it as a \\u escape in the source (scripts/build-cli.mjs)`,
    );
  }
  const text = file.path.endsWith('.cjs')
    ? `${file.text}// blastguard bundle ${createHash('sha256').update(file.contents).digest('hex').slice(0, 32)}\n`
    : file.text;
  writeFileSync(file.path, text);
}
// The launcher: small, built on its own, never cached (it is what reads the cache).
await build({ ...common, entryPoints: { launch: 'src/cli/launch.ts' }, outdir, outExtension: { '.js': '.cjs' } });
