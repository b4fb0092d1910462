// Opens an input file as a stream of bytes: gunzipped when it is gzip (by name or by its magic bytes), counted for
// progress, with errors that name the file.
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
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

function isGzip(file: string): boolean {
  if (/\.gz$/i.test(file)) return true;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (err) {
    throw fileError(file, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Throws openInput's InputError when the file cannot be opened (missing, a directory…); returns whether it is gzip. */
export function checkInput(file: string): boolean {
  try {
    if (statSync(file).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (err) {
    throw fileError(file, err);
  }
  return isGzip(file);
}

/**
 * A readable stream of the file's (decompressed) bytes. `shown` is the name used in messages. Errors of the file or
 * of gzip surface as InputError from the consumer's iteration (see `rethrow`).
 */
export function openInput(file: string, progress?: Progress): Readable {
  const gz = checkInput(file);
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
