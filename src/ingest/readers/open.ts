// Opens an input file as a stream of bytes: gunzipped when it is gzip (by name or by its magic bytes), counted for
// progress, with errors that name the file. A file in UTF-16 is refused here, by its first bytes, with a message that
// says so (every reader expects UTF-8, and would otherwise call it "not valid JSON").
import { createReadStream, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { InputError } from '../../model/errors.js';

/** Counters the CLI reads to draw a progress bar (readers only add to them). */
export interface Progress {
  records: number;
  /** Bytes read from disk (compressed bytes for .gz files). */
  bytes: number;
  /** Size of all the files to read, when known. */
  totalBytes: number;
  /** When set, progress is counted in records (e.g. rows written to Neo4j) instead of bytes. */
  totalRecords?: number;
  /** What a record is called on the progress line (default "records"). */
  unit?: string;
}

export function newProgress(): Progress {
  return { records: 0, bytes: 0, totalBytes: 0 };
}

export function fileError(file: string, err: unknown): InputError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'ENOENT'
      ? 'file not found'
      : e.code === 'EISDIR'
        ? 'is a directory, not a file'
        : e.code === 'EACCES'
          ? 'permission denied'
          : /unexpected end of file/i.test(e.message ?? '')
            ? 'gzip data ends too early (the file is truncated)'
            : e.code?.startsWith('Z_')
              ? `not valid gzip data (${e.message})`
              : String(e.message ?? e);
  return new InputError({ file, message: why });
}

/** The first bytes of a file (at most `n`); errors name the file as `shown`. */
function firstBytes(file: string, n: number, shown: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } catch (err) {
    throw fileError(shown, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The start of the content of a gzip file whose first bytes are `head` (whatever those bytes decompress to). */
function gunzipHead(head: Buffer): Buffer {
  try {
    return gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0); // not gzip after all, or corrupt: reading says so
  }
}

/**
 * The UTF-16 form of a text whose first bytes are `head`: a byte order mark, or an ASCII character next to a zero
 * byte (which UTF-8 text never starts with); undefined for anything else.
 */
export function utf16Of(head: Uint8Array): { form: 'UTF-16LE' | 'UTF-16BE'; bom: boolean } | undefined {
  if (head.length < 2) return undefined;
  const [a, b] = head;
  if (a === 0xff && b === 0xfe) return { form: 'UTF-16LE', bom: true };
  if (a === 0xfe && b === 0xff) return { form: 'UTF-16BE', bom: true };
  if (a !== 0 && a < 0x80 && b === 0) return { form: 'UTF-16LE', bom: false };
  if (a === 0 && b !== 0 && b < 0x80) return { form: 'UTF-16BE', bom: false };
  return undefined;
}

export interface OpenOptions {
  /** The name used in messages (default: the path). */
  shown?: string;
  /** CSV: csv-parse reads UTF-16LE with a byte order mark itself, so that form is let through. */
  csv?: boolean;
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Throws openInput's InputError when the file cannot be opened (missing, a directory…) or is UTF-16; returns whether
 * it is gzip.
 */
export function checkInput(file: string, options: OpenOptions = {}): boolean {
  const shown = options.shown ?? file;
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (err) {
    throw fileError(shown, err);
  }
  // 1 KiB of gzip decompresses to at most about 1 MiB: enough to see how the text starts, and quick.
  const head = firstBytes(file, 1024, shown);
  const gz = /\.gz$/i.test(file) || (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
  const u = utf16Of(gz ? gunzipHead(head) : head);
  if (u && !(options.csv && u.form === 'UTF-16LE' && u.bom)) {
    throw new InputError({
      file: shown,
      message: `the file is ${u.form} text${u.bom ? ' (it starts with a UTF-16 byte order mark)' : ' (every other byte is zero)'}; blastguard reads UTF-8: save it as UTF-8`,
    });
  }
  return gz;
}

/** The largest plain file read whole instead of streamed: below it, setting up a stream costs more than the bytes. */
const READ_WHOLE_MAX = 256 * 1024;

/**
 * A small plain file's bytes as one chunk (one readFileSync, after openInput's checks), or undefined when it should
 * be streamed with openInput: larger than 256 KiB, gzip, or not a regular file (a pipe, a device).
 */
export function smallInput(file: string, bytes: number, progress?: Progress, options: OpenOptions = {}): readonly Buffer[] | undefined {
  if (bytes === 0 || bytes > READ_WHOLE_MAX || checkInput(file, options)) return undefined;
  let data: Buffer;
  try {
    if (!statSync(file).isFile()) return undefined;
    data = readFileSync(file);
  } catch (err) {
    throw fileError(options.shown ?? file, err);
  }
  if (progress) progress.bytes += data.length;
  return [data];
}

/**
 * A readable stream of the file's (decompressed) bytes. `shown` is the name used in messages. Errors of the file or
 * of gzip surface as InputError from the consumer's iteration (see `rethrow`).
 */
export function openInput(file: string, progress?: Progress, options: OpenOptions = {}): Readable {
  const gz = checkInput(file, options);
  let stream: Readable = createReadStream(file, { highWaterMark: 1 << 20 });
  if (progress) {
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        progress.bytes += chunk.length;
        done(null, chunk);
      },
    });
    stream.on('error', (err) => counter.destroy(err));
    stream = stream.pipe(counter);
  }
  if (!gz) return stream;
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  stream.on('error', (err) => gunzip.destroy(err));
  return stream.pipe(gunzip);
}
