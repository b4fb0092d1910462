// Inputs read whole into memory (manifest, mapping, approved plan, rehearsal, audit baseline, ID list): only regular
// files, at most a cap of bytes after decompression (gunzipped with a limit, never whole and then measured), in
// UTF-8, and parsed with limits on nesting, strings and numbers and with duplicate keys refused. Graph files are
// streamed and have no cap (src/ingest/readers/).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Document } from 'yaml';
import { InputError, InputLimitError, UsageError } from '../model/errors.js';
import { pathToField } from '../model/json-schemas.js';
import { scanJson, valueProblem } from '../model/json-scan.js';
import { yaml } from '../model/lazy.js';
import { jsonLocator, yamlLocator, type Locator } from '../model/locate.js';
import { wideEncoding, wideEncodingMessage } from './encoding.js';
import { lineAt, parseJson } from './files.js';

const MiB = 1024 * 1024;
export const DEFAULT_MAX_INPUT_MIB = 64;
/** Above this a text no longer fits in one V8 string (~512 MiB), so a larger cap would only fail later. */
const MAX_SETTABLE_MIB = 512;
export const CAP_ENV = 'BLASTGUARD_MAX_INPUT_MIB';

/** Limits of the parsed content: no blastguard input nests more than a few levels or needs a string of a megabyte. */
export const SMALL_LIMITS = { maxDepth: 100, maxString: 1 << 20 } as const;

/**
 * How many values (JSON members, lines of an ID list) and how many JSON objects and arrays an input may hold: one
 * value per 16 bytes of the cap and one object or array per 64 (4,194,304 and 1,048,576 at 64 MiB). A text within
 * the cap can otherwise be millions of tiny values, each costing more memory than its bytes (64 MiB of `{},` takes
 * JSON.parse over 2 GiB); with these, memory stays within a few times the cap. Raising the cap raises them.
 */
export function countLimits(): { maxValues: number; maxContainers: number } {
  const cap = maxInputMiB() * MiB;
  return { maxValues: cap / 16, maxContainers: cap / 64 };
}

let capOverride: number | undefined;

function parseMiB(value: string | number, where: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_SETTABLE_MIB)
    throw new UsageError(`${where} must be a whole number of MiB from 1 to ${MAX_SETTABLE_MIB} (got ${String(value)})`);
  return n;
}

/** Sets the cap (in MiB) for this process (the CLI's --max-input-mib); undefined goes back to the environment or default. */
export function setMaxInputMiB(mib: number | undefined): void {
  capOverride = mib === undefined ? undefined : parseMiB(mib, '--max-input-mib');
}

/** The cap in MiB: --max-input-mib, else BLASTGUARD_MAX_INPUT_MIB, else 64. */
export function maxInputMiB(): number {
  if (capOverride !== undefined) return capOverride;
  const env = process.env[CAP_ENV];
  return env === undefined || env === '' ? DEFAULT_MAX_INPUT_MIB : parseMiB(env, CAP_ENV);
}

/** YAML gets this fraction of the cap: the yaml parser's documents take ~60 bytes of memory per byte of text. */
const YAML_SHARE = 16;

/** The cap of YAML inputs, in MiB (4 MiB by default). */
export function maxYamlMiB(): number {
  return Math.max(1, Math.floor(maxInputMiB() / YAML_SHARE));
}

const RAISE = `inputs read whole are capped (raise the cap with --max-input-mib or ${CAP_ENV})`;

function tooLarge(file: string, mib: number, gz: boolean): InputLimitError {
  return new InputLimitError({ file, message: `larger than ${mib} MiB${gz ? ' once decompressed' : ''}: ${RAISE}` });
}

/** The error for an ID list of more lines than countLimits() allows. */
export function tooManyIds(file: string, line: number): InputLimitError {
  return new InputLimitError({ file, line, message: `more than ${countLimits().maxValues} IDs: ${RAISE}` });
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (st.isCharacterDevice()) return 'is a character device (like /dev/zero), not a regular file';
  if (st.isBlockDevice()) return 'is a block device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENXIO: 'is not a regular file',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * Opens `file` for reading if it is a regular file. O_NONBLOCK: opening a FIFO must not wait for a writer; the
 * kind is then read from the open descriptor (fstat), so what is checked is what is read.
 */
export function openRegularFile(file: string, shown = file, pipeHint = ''): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    // Not a limit: a missing or unreadable file is what it always was (for a rehearsal, a violation).
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new InputError({ file: shown, message: OPEN_ERRORS[code] ?? `cannot read: ${code || (err as Error).message}` });
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new InputLimitError({ file: shown, message: `${kindOf(st)}${st.isFIFO() || st.isCharacterDevice() || st.isSocket() ? pipeHint : ''}` });
  }
  return { fd, size: st.size };
}

/** Room above the cap for the raw bytes of a gzip file (incompressible data grows a little in gzip). */
const rawLimit = (cap: number) => cap + Math.ceil(cap / 64) + 65536;

/** Reads at most `limit` + 1 bytes of an open file (a file may grow while it is read). */
function readUpTo(fd: number, limit: number, sizeHint: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Math.max(1 << 16, Math.min(sizeHint + 1, limit + 1, 1 << 24));
  for (;;) {
    const buf = Buffer.allocUnsafe(chunk);
    const n = readSync(fd, buf, 0, chunk, null);
    if (n === 0) break;
    chunks.push(n === chunk ? buf : buf.subarray(0, n));
    total += n;
    if (total > limit) break;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

const isGzipData = (buf: Uint8Array) => buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;

/** Bytes → text: gunzipped within the cap when gzip (by name or magic bytes), UTF-8 only, without a BOM. */
function decode(buf: Buffer, shown: string, gzName: boolean): string {
  const mib = maxInputMiB();
  const cap = mib * MiB;
  const gz = gzName || isGzipData(buf);
  if (gz) {
    if (buf.length > rawLimit(cap)) throw tooLarge(shown, mib, true);
    try {
      // maxOutputLength stops inflating as soon as the output passes the cap: a bomb costs the cap, not its size.
      buf = gunzipSync(buf, { maxOutputLength: cap, chunkSize: 1 << 16 });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(shown, mib, true);
      if (/unexpected end of file/i.test(e.message)) throw new InputError({ file: shown, message: 'gzip data ends too early (the file is truncated)' });
      throw new InputError({ file: shown, message: `not valid gzip data (${e.message})` });
    }
  } else if (buf.length > cap) {
    throw tooLarge(shown, mib, false);
  }
  const wide = wideEncoding(buf.subarray(0, 64));
  if (wide) throw new InputError({ file: shown, line: 1, message: wideEncodingMessage(wide) });
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the data
  return text;
}

/**
 * The text of a small input file (`shown` names it in messages; `pipeHint` is added when it is a pipe or a device,
 * e.g. where `-` reads standard input instead). Throws InputLimitError when it is refused before
 * its content is read (not a regular file, over the cap), InputError for everything else.
 */
export function readSmallFile(file: string, shown = file, pipeHint = ''): string {
  const { fd, size } = openRegularFile(file, shown, pipeHint);
  let buf: Buffer;
  try {
    const limit = rawLimit(maxInputMiB() * MiB);
    if (size > limit) throw tooLarge(shown, maxInputMiB(), /\.gz$/i.test(file));
    buf = readUpTo(fd, limit, size);
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError) throw err;
    throw new InputError({ file: shown, message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  } finally {
    closeSync(fd);
  }
  return decode(buf, shown, /\.gz$/i.test(file));
}

/** Standard input as text, under the same cap (read as it comes; a stream that never ends stops at the cap). */
export async function readSmallStdin(shown = 'stdin', stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const mib = maxInputMiB();
  const limit = rawLimit(mib * MiB);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      total += b.length;
      if (total > limit) throw tooLarge(shown, mib, false); // leaving the loop closes the stream
      chunks.push(b);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError({ file: shown, message: `cannot read standard input: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
  }
  return decode(Buffer.concat(chunks, total), shown, false);
}

/** A path cut to its first levels: the field of a problem 100 levels down is `a[0][0]…`, not a hundred brackets. */
function shortPath(path: (string | number)[]): (string | number)[] {
  return path.length > 4 ? path.slice(0, 3) : path;
}

function fieldOf(path: (string | number)[]): string | undefined {
  const field = pathToField(shortPath(path));
  return field ? `${field}${path.length > 4 ? '…' : ''}` : undefined;
}

/**
 * JSON.parse (the fast path) plus what it cannot see: nesting is checked before parsing, duplicate keys and long
 * strings by one linear scan, and numbers that were not read exactly after. Problems name the file and line.
 */
export function parseSmallJson(text: string, file: string, locate?: Locator): unknown {
  if (text.trim() === '') throw new InputError({ file, line: 1, message: 'file is empty' });
  const scan = scanJson(text, { ...SMALL_LIMITS, ...countLimits() });
  const problem = () => {
    if (scan!.kind === 'count') return new InputLimitError({ file, line: lineAt(text, scan!.offset), message: `${scan!.message}: ${RAISE}` });
    const field = scan!.kind === 'duplicate' ? pathToField(scan!.path.slice(0, -1)) || undefined : fieldOf(scan!.path);
    const first =
      scan!.firstOffset !== undefined
        ? ` (first at line ${lineAt(text, scan!.firstOffset)}): a JSON reader keeps only the last, so the file does not say what it shows`
        : '';
    return new InputError({ file, line: lineAt(text, scan!.offset), field, message: `${scan!.message}${first}` });
  };
  // A deep or crowded text is refused before JSON.parse builds it (64 MiB of "[" would be 32 million arrays).
  if (scan?.kind === 'depth' || scan?.kind === 'count') throw problem();
  const data = parseJson(text, file);
  if (scan) throw problem();
  const vp = valueProblem(data, SMALL_LIMITS);
  if (vp) throw new InputError({ file, line: (locate ?? jsonLocator(text))(vp.path), field: fieldOf(vp.path), message: vp.message });
  return data;
}

/** The line of the first alias in a YAML document (where an alias bomb starts), if any. */
function firstAliasLine(doc: Document.Parsed, lineOf: (offset: number) => number): number | undefined {
  const { visit } = yaml();
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) line = lineOf(node.range[0]);
      return visit.BREAK;
    },
  });
  return line;
}

const ALIAS_LIMIT = 100;

/**
 * The line where YAML flow collections ([ and {) nest deeper than `max`, if they do. The yaml parser composes
 * recursively and, on a 100,000-deep flow sequence, spends seconds and hundreds of MiB before failing; this looks
 * first. A raw count of brackets bounds the depth from above, so the tokenizer (exact: quotes and comments are not
 * flow) only runs on a text that has more than `max` brackets open at once somewhere.
 */
function yamlFlowTooDeep(text: string, max: number): number | undefined {
  let open = 0;
  let peak = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) peak = Math.max(peak, ++open);
    else if ((c === 0x5d || c === 0x7d) && open > 0) open--;
  }
  if (peak <= max) return undefined;
  const { Lexer } = yaml();
  let depth = 0;
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > max) return line;
    } else if (token === ']' || token === '}') depth--;
    else for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) line++;
  }
  return undefined;
}

/**
 * YAML → value, with duplicate keys refused (the yaml default), the alias count limited (an alias bomb is an input
 * error with its line, not a crash), nesting and strings limited, and numbers checked as for JSON.
 */
export function parseSmallYaml(text: string, file: string): { data: unknown; lineOf: Locator } {
  const yamlMiB = maxYamlMiB();
  if (text.length > yamlMiB * MiB) {
    throw new InputLimitError({
      file,
      message: `a YAML file larger than ${yamlMiB} MiB: parsing YAML takes some 60 times its size in memory, so YAML is capped at 1/${YAML_SHARE} of the input cap; write a large manifest as JSON, or raise the cap with --max-input-mib or ${CAP_ENV}`,
    });
  }
  if (text.trim() === '') throw new InputError({ file, line: 1, message: 'file is empty' });
  const { LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const lineOf = (offset: number) => counter.linePos(offset).line;
  const deep = (line?: number) => new InputError({ file, line, message: `nested more than ${SMALL_LIMITS.maxDepth} levels deep` });
  const tooDeep = yamlFlowTooDeep(text, SMALL_LIMITS.maxDepth);
  if (tooDeep !== undefined) throw deep(tooDeep);
  let doc: Document.Parsed;
  try {
    // prettyErrors off: its context excerpt of a 100,000-deep flow sequence exhausts memory (lines come from counter).
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: counter });
  } catch (err) {
    if (err instanceof RangeError) throw deep();
    throw err;
  }
  const err = doc.errors[0];
  if (err) {
    const line = lineOf(err.pos[0]);
    if (/call stack/i.test(err.message)) throw deep(line);
    throw new InputError({ file, line, message: `not valid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: ALIAS_LIMIT });
  } catch (e) {
    if (e instanceof RangeError) throw deep();
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      throw new InputError({
        file,
        line: firstAliasLine(doc, lineOf),
        message: `YAML aliases expand too much (over ${ALIAS_LIMIT} uses: an alias bomb?); write the values out`,
      });
    }
    throw e;
  }
  const locate = yamlLocator(text);
  const vp = valueProblem(data, SMALL_LIMITS);
  if (vp) throw new InputError({ file, line: locate(vp.path), field: fieldOf(vp.path), message: vp.message });
  return { data, lineOf: locate };
}
