// Outputs that cannot destroy: every file a command writes (--out, --write-baseline) goes through here. A destination
// that is one of the command's inputs (same device and inode, whatever the path, link or hard link) is refused, as is
// any existing non-regular file except a character device (written through, never replaced: /dev/null stays a
// device even for root). Regular files are written to a temporary file beside the destination and renamed over it;
// temporary files are removed on every error path and on SIGINT, SIGTERM and SIGHUP.
import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { loadMappingFile } from '../app/index.js';
import { InputError, UsageError } from '../model/errors.js';

/** Text to write, whole or as pieces produced as the writer goes (so no one string has to hold it all). */
export type Pieces = string | Iterable<string>;

/** One input of a command, for the refusal message: `role` says which option named it ("the --graph file"). */
export interface OutputInput {
  path: string;
  role: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Temporary files: tracked while they exist, removed however the process ends.

const liveTemps = new Set<string>();
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
let handlersInstalled = false;

function removeLiveTemps(): void {
  for (const tmp of liveTemps) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
  liveTemps.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLiveTemps();
  // The conventional 128 + signal number, as a shell reports a process ended by that signal.
  process.exit(SIGNALS[signal as keyof typeof SIGNALS] ?? 1);
}

/** Handlers exist only while a temporary file does: otherwise a signal ends the process as it always would. */
function track(tmp: string): void {
  liveTemps.add(tmp);
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const s of Object.keys(SIGNALS)) process.on(s, onSignal);
    process.on('exit', removeLiveTemps);
  }
}

function untrack(tmp: string): void {
  liveTemps.delete(tmp);
  if (liveTemps.size === 0 && handlersInstalled) {
    handlersInstalled = false;
    for (const s of Object.keys(SIGNALS)) process.off(s, onSignal);
    process.off('exit', removeLiveTemps);
  }
}

function tempBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
}

function discard(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {
    /* nothing was written */
  }
  untrack(tmp);
}

const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'a temporary file of that name already exists',
};

/** "cannot write: its directory does not exist (ENOENT)": the reason in words, and the code to search for. */
export function cannotWrite(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code) return `cannot write: ${(err as Error).message}`;
  return WRITE_ERRORS[code] ? `cannot write: ${WRITE_ERRORS[code]} (${code})` : `cannot write: ${code}`;
}

/** Writes `text` to `file` through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(file: string, text: string | Uint8Array): void {
  const tmp = tempBeside(file);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    track(tmp);
    if (typeof text === 'string') writeSync(fd, text);
    else writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    untrack(tmp);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    discard(tmp);
    throw new InputError({ file, message: cannotWrite(err) });
  }
}

/**
 * Streams text pieces to `file` through a temporary file beside it (created exclusively, synced on close) and a
 * rename, gzipped when `gzip` (at `level`, zlib's default unless given); on any failure or signal the temporary
 * file is removed and `file` is left as it was. Memory stays flat however large the output.
 */
export async function writeAtomicChunks(file: string, chunks: Iterable<string>, gzip = false, level?: number): Promise<void> {
  return writeAtomicSource(file, () => Readable.from(batched(chunks), { objectMode: false }), gzip, level);
}

/** writeAtomicChunks for binary data (a .bgraph file): the buffers are written as they are, in order. */
export async function writeAtomicBuffers(file: string, buffers: Iterable<Uint8Array>): Promise<void> {
  return writeAtomicSource(file, () => Readable.from(buffers, { objectMode: false }), false);
}

async function writeAtomicSource(file: string, makeSource: () => Readable, gzip: boolean, level?: number): Promise<void> {
  const tmp = tempBeside(file);
  try {
    const out = createWriteStream(tmp, { flags: 'wx', flush: true });
    track(tmp);
    await once(out, 'open');
    const source = makeSource();
    if (gzip) await pipeline(source, createGzip(level === undefined ? {} : { level }), out);
    else await pipeline(source, out);
    renameSync(tmp, file);
    untrack(tmp);
  } catch (err) {
    discard(tmp);
    if (err instanceof InputError) throw err;
    throw new InputError({ file, message: cannotWrite(err) });
  }
}

/** Pieces joined into writes of about 64 KiB: one system call per line would be slow; one per output, too large. */
export function* batched(pieces: Pieces, size = 1 << 16): Generator<string> {
  if (typeof pieces === 'string') {
    if (pieces) yield pieces;
    return;
  }
  let buf = '';
  for (const p of pieces) {
    buf += p;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * Writes pieces to a stream (stdout, a device) as they come, waiting whenever the reader is behind: memory stays
 * bounded however long the output.
 */
export async function writePieces(stream: Writable, pieces: Pieces): Promise<void> {
  for (const chunk of batched(pieces)) {
    if (stream.destroyed) return;
    if (!stream.write(chunk)) await drained(stream);
  }
}

/** Resolves when the stream wants more (or is gone), rejects on its error; leaves no listener behind. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', ok);
      stream.off('close', ok);
      stream.off('error', failed);
      if (err) reject(err);
      else resolve();
    };
    const ok = () => done();
    const failed = (err: Error) => done(err);
    stream.on('drain', ok);
    stream.on('close', ok);
    stream.on('error', failed);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The guard.

export interface OutputOptions {
  /** The option that named the destination, for messages: "--out", "--write-baseline". */
  option: string;
  /** Whether "-" means standard output for this option. */
  stdout?: boolean;
  /** The command's inputs known before anything is read; more can be added with refuseInputs. */
  inputs?: readonly (OutputInput | undefined)[];
}

type Kind = 'stdout' | 'file' | 'device';

/** Names for the kinds of file an output must never replace or write into. */
function specialKind(st: Stats): string | undefined {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  return undefined;
}

/**
 * A checked destination. Construct it with `Output.open` before the inputs are read (a mistake costs nothing), add
 * inputs found later (a mapping's exports, a rehearsal) with `refuseInputs`, then `write`.
 */
export class Output {
  private constructor(
    /** As the user gave it, for messages. */
    readonly dest: string,
    readonly kind: Kind,
    /** Where a file is really written: the destination with its symbolic links resolved, so a link stays a link. */
    private readonly path: string,
    private readonly option: string,
    /** Device and inode of an existing destination (regular file or device); undefined when it does not exist yet. */
    private readonly existing: Stats | undefined,
  ) {}

  get isStdout(): boolean {
    return this.kind === 'stdout';
  }

  /** Whether writing replaces an existing file, which could then be one of the inputs. */
  get mayOverwrite(): boolean {
    return this.kind === 'file' && this.existing !== undefined;
  }

  /** Checks `dest` (see the module header); throws an InputError (one line, exit 2) when it must not be written. */
  static open(dest: string, opts: OutputOptions): Output {
    if (dest === '-') {
      if (!opts.stdout) throw new UsageError(`${opts.option} -: this command writes its report to stdout already; name a file for ${opts.option}`);
      return new Output(dest, 'stdout', dest, opts.option, undefined);
    }
    if (dest === '') throw new UsageError(`${opts.option} needs a file name`);
    let st: Stats | undefined;
    try {
      st = statSync(dest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && isSymlink(dest)) {
        throw new InputError({
          file: dest,
          message: `${opts.option}: is a symbolic link to a missing file; refusing to replace the link (name the file it should point to)`,
        });
      }
      // Not there yet: fail now, before any work, if it cannot be created there; else the writer creates it.
      refuseMissingDirectory(dest);
      return new Output(dest, 'file', dest, opts.option, undefined);
    }
    const special = specialKind(st);
    if (special) {
      const hint = opts.stdout ? ` (use ${opts.option} - for standard output)` : '';
      throw new InputError({ file: dest, message: `${opts.option}: is ${special}, not a file; refusing to write into it${hint}` });
    }
    const out = st.isCharacterDevice() ? new Output(dest, 'device', dest, opts.option, st) : new Output(dest, 'file', realpathSync(dest), opts.option, st);
    out.refuseInputs(opts.inputs ?? []);
    return out;
  }

  /** Refuses the destination when it is the same file as one of `inputs` (compared by device and inode). */
  refuseInputs(inputs: readonly (OutputInput | undefined)[]): void {
    if (this.kind !== 'file' || !this.existing) return;
    for (const input of inputs) {
      if (!input || input.path === '-' || input.path === '') continue;
      let st: Stats;
      try {
        st = statSync(input.path);
      } catch {
        continue; // an input that is not there cannot be overwritten; reading it reports the problem
      }
      if (st.dev === this.existing.dev && st.ino === this.existing.ino) {
        const same = resolve(input.path) === resolve(this.dest) ? '' : ` (${input.path})`;
        throw new InputError({
          file: this.dest,
          message: `${this.option} would overwrite ${input.role}${same}, an input of this command; write to another file`,
        });
      }
    }
  }

  /** Refuses two outputs of one command that are the same file. */
  refuseSameAs(other: Output | undefined): void {
    if (!other || other.kind !== 'file' || this.kind !== 'file') return;
    const same =
      this.existing && other.existing
        ? this.existing.dev === other.existing.dev && this.existing.ino === other.existing.ino
        : resolve(this.path) === resolve(other.path);
    if (same) throw new UsageError(`${this.option} and ${other.option} name the same file (${this.dest}); give each its own`);
  }

  /**
   * Writes the pieces: to stdout (through `stdout`), through a character device, or to the file via a temporary
   * file and a rename (gzipped when `gzip`).
   */
  /** Writes binary data (a .bgraph file) to the file via a temporary file and a rename, or through a device. */
  async writeBinary(buffers: Iterable<Uint8Array>): Promise<void> {
    if (this.kind === 'stdout') throw new UsageError(`${this.option} -: a binary graph file is not written to standard output; name a file`);
    try {
      if (this.kind === 'device') await writeBinaryThrough(this.dest, buffers);
      else await writeAtomicBuffers(this.path, buffers);
    } catch (err) {
      if (err instanceof InputError && this.path !== this.dest) throw new InputError(err.problems.map((p) => ({ ...p, file: this.dest })));
      throw err;
    }
  }

  async write(pieces: Pieces, opts: { stdout?: Writable; gzip?: boolean; level?: number } = {}): Promise<void> {
    if (this.kind === 'stdout') {
      if (!opts.stdout) throw new Error('Output.write: no stdout stream given');
      await writePieces(opts.stdout, pieces);
      return;
    }
    if (this.kind === 'device') {
      await writeThrough(this.dest, pieces, opts.gzip ?? false, opts.level);
      return;
    }
    try {
      await writeAtomicChunks(this.path, typeof pieces === 'string' ? [pieces] : pieces, opts.gzip ?? false, opts.level);
    } catch (err) {
      // Name the destination as the user gave it, not the file its links resolve to.
      if (err instanceof InputError && this.path !== this.dest) throw new InputError(err.problems.map((p) => ({ ...p, file: this.dest })));
      throw err;
    }
  }
}

function refuseMissingDirectory(dest: string): void {
  try {
    if (!statSync(dirname(resolve(dest))).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError({ file: dest, message: cannotWrite(err) });
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

async function writeBinaryThrough(dest: string, buffers: Iterable<Uint8Array>): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dest, constants.O_WRONLY | constants.O_NOCTTY);
  } catch (err) {
    throw new InputError({ file: dest, message: cannotWrite(err) });
  }
  try {
    await pipeline(Readable.from(buffers, { objectMode: false }), createWriteStream('', { fd, autoClose: true }));
  } catch (err) {
    throw new InputError({ file: dest, message: cannotWrite(err) });
  }
}

/** Opens an existing character device (never creating a file in its place) and writes the pieces into it. */
async function writeThrough(dest: string, pieces: Pieces, gzip: boolean, level?: number): Promise<void> {
  let fd: number;
  try {
    fd = openSync(dest, constants.O_WRONLY | constants.O_NOCTTY);
  } catch (err) {
    throw new InputError({ file: dest, message: cannotWrite(err) });
  }
  if (!fstatSync(fd).isCharacterDevice()) {
    closeSync(fd);
    throw new InputError({ file: dest, message: 'is no longer a character device; refusing to write into it' });
  }
  try {
    const out = createWriteStream('', { fd, autoClose: true });
    const source = Readable.from(batched(pieces), { objectMode: false });
    if (gzip) await pipeline(source, createGzip(level === undefined ? {} : { level }), out);
    else await pipeline(source, out);
  } catch (err) {
    throw new InputError({ file: dest, message: cannotWrite(err) });
  }
}

/** The inputs a --graph/--mapping pair names: the graph file, the mapping and every export file it lists. */
export async function graphInputs(args: { graph?: string; mapping?: string; overlay?: string }): Promise<OutputInput[]> {
  const inputs: OutputInput[] = [];
  if (args.graph !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(args.graph)) inputs.push({ path: args.graph, role: 'the --graph file' });
  if (args.overlay !== undefined) inputs.push({ path: args.overlay, role: 'the --overlay file' });
  if (args.mapping !== undefined) {
    inputs.push({ path: args.mapping, role: 'the --mapping file' });
    try {
      for (const source of loadMappingFile(args.mapping).sources)
        for (const f of source.files) inputs.push({ path: f, role: 'an export file the mapping names' });
    } catch {
      /* a mapping that does not load is reported when the graph is read */
    }
  }
  return inputs;
}

/**
 * Checks a destination option before any input is read (see Output.open); with `graphArgs`, also against the graph
 * file, the mapping and its exports (read only when the destination exists, so could be one of them).
 */
export async function openOutput(
  dest: string | undefined,
  opts: OutputOptions & { graphArgs?: { graph?: string; mapping?: string; overlay?: string } },
): Promise<Output | undefined> {
  if (dest === undefined) return undefined;
  const out = Output.open(dest, opts);
  if (opts.graphArgs && out.mayOverwrite) out.refuseInputs(await graphInputs(opts.graphArgs));
  return out;
}
