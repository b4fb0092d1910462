// Runs the bundled CLI (dist/bundle/cli.cjs) from V8's compiled code of it, kept on disk after the same command last
// ran; bin/blastguard calls it. Built on its own into dist/bundle/launch.cjs (scripts/build-cli.mjs), never cached.
//
// Why: V8 compiles a function when it is first called, so a fresh process spends much of a short command compiling
// (a plan on the sample calls ~2,000 functions of the bundle). Node's module compile cache (module.enableCompileCache)
// stores an ES module's code right after compiling it, before it runs, so it holds the top level and none of those
// functions. A script's cache made after the command ran (vm.Script#createCachedData) holds every function it
// compiled; the next run of that command deserializes them instead. One cache file per command name, since each
// command calls different code.
//
// Safety: the cache only ever holds code V8 compiled from this very bundle. Its file name carries the Node version,
// the platform, the bundle's content hash, size and time, and a hash of Node's options; V8 itself refuses a cache made
// by another V8, with other flags or for another source, and then the bundle is compiled from source and the cache
// written again. The directory is the user's own (mode 0700, checked before use), because code read from it runs.
// A cache that cannot be read or written changes nothing but the speed. NODE_DISABLE_COMPILE_CACHE=1 (Node's own
// switch) turns it off; NODE_COMPILE_CACHE=DIR (Node's own) moves it to DIR/blastguard.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

interface CliModule {
  cli(argv: string[]): Promise<number>;
  exitWhenFlushed(code: number): Promise<never>;
}

/** Where a command's cache lives, or undefined when there is none to use. */
interface CacheSlot {
  dir: string;
  /** File name prefix shared by every version of this command's cache at this path (older ones are removed on write). */
  prefix: string;
  file: string;
}

const trace = process.env.BLASTGUARD_TRACE_CODE_CACHE === '1' ? (line: string) => process.stderr.write(`code cache: ${line}\n`) : () => {};

/** FNV-1a of a string, as 8 hex digits: names Node's options in the cache file name (no crypto at start-up). */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** os.tmpdir()'s rule, without loading node:os at every start. */
function tmpdir(): string {
  const env = process.env;
  if (process.platform === 'win32') return env.TEMP || env.TMP || `${env.SystemRoot || env.windir}\\temp`;
  return (env.TMPDIR || env.TMP || env.TEMP || '/tmp').replace(/(.)\/+$/, '$1');
}

/** The user's own cache directory, created 0700; undefined if it is anyone else's or others may write in it. */
function ownDir(): string | undefined {
  const base = process.env.NODE_COMPILE_CACHE;
  const uid = process.getuid?.();
  const dir = base ? path.join(base, 'blastguard') : path.join(tmpdir(), `blastguard-code-cache-${uid ?? 'user'}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0))) {
    trace(`${dir} is not this user's own directory: not used`);
    return undefined;
  }
  return dir;
}

function slotFor(bundle: string, source: string, args: string[]): CacheSlot | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const id = /\/\/ blastguard bundle ([0-9a-f]{32})\n$/.exec(source.slice(-60))?.[1];
  if (!id) return undefined; // not a bundle the build made: nothing to key the cache on
  const st = fs.statSync(bundle);
  const dir = ownDir();
  if (!dir) return undefined;
  const command = /^[a-z][a-z0-9-]{0,31}$/.test(args[0] ?? '') ? args[0] : 'other';
  // The install's path in the prefix: two installs (a global one and a project's) keep a cache each, instead of
  // each run removing the other's as an older version.
  const prefix = `${command}.${fnv(bundle)}.`;
  const options = fnv([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0'));
  const name = `${prefix}${process.version}-${process.platform}-${process.arch}-${options}-${id}-${st.size}-${Math.trunc(st.mtimeMs)}.v8`;
  return { dir, prefix, file: path.join(dir, name) };
}

function readCache(slot: CacheSlot | undefined): Buffer | undefined {
  if (!slot) return undefined;
  try {
    return fs.readFileSync(slot.file);
  } catch {
    trace(`${slot.file}: none yet`);
    return undefined;
  }
}

/** Writes the cache whole or not at all (a rename), then removes this command's caches of older bundles. */
function writeCache(slot: CacheSlot, data: Buffer): void {
  const tmp = `${slot.file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, slot.file);
    trace(`wrote ${slot.file} (${data.length} bytes)`);
    const current = path.basename(slot.file);
    for (const f of fs.readdirSync(slot.dir))
      if (f.startsWith(slot.prefix) && f !== current && f.endsWith('.v8')) fs.rmSync(path.join(slot.dir, f), { force: true });
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    trace(`not written: ${(e as Error).message}`);
  }
}

/** Runs the CLI in `bundle` on `args`, then ends the process with its exit code. */
export async function launch(bundle: string, args: string[]): Promise<never> {
  trace(`running ${bundle}`);
  // The build keeps the bundle ASCII, which reads as a one-byte string without decoding (UTF-8 is the fallback).
  const bytes = fs.readFileSync(bundle);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  let slot: CacheSlot | undefined;
  try {
    slot = slotFor(bundle, source, args);
  } catch (e) {
    trace(`not used: ${(e as Error).message}`);
  }
  const cachedData = readCache(slot);
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  if (cachedData) trace(`${slot?.file}: ${script.cachedDataRejected ? 'rejected by V8' : 'accepted'}`);
  const module = { exports: {} as CliModule };
  (script.runInThisContext() as (...a: unknown[]) => void).call(
    module.exports,
    module.exports,
    Module.createRequire(bundle),
    module,
    bundle,
    path.dirname(bundle),
  );
  const code = await module.exports.cli(args);
  process.exitCode = code;
  // Only after a command that ran (PASS or FAIL): a usage or input error (exit 2) ran little of the command's code,
  // and a mistyped command name would leave a file of its own.
  if (slot && (code === 0 || code === 1) && (!cachedData || script.cachedDataRejected)) writeCache(slot, script.createCachedData());
  return module.exports.exitWhenFlushed(code);
}
