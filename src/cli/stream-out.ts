// Streaming a large output to a file atomically: chunks go to a temporary file beside the target (gzipped when
// asked), which is renamed over the target only once everything is written and synced.
import { createWriteStream, fsyncSync, openSync, closeSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants } from 'node:zlib';
import { InputError } from '../model/errors.js';

export async function writeStreamAtomic(file: string, chunks: Iterable<string>, gzip = false): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const source = Readable.from(chunks, { objectMode: false });
    const sink = createWriteStream(tmp, { flags: 'wx' });
    if (gzip) await pipeline(source, createGzip({ level: constants.Z_BEST_SPEED }), sink);
    else await pipeline(source, sink);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
    if (err instanceof InputError || !(err as NodeJS.ErrnoException).code) throw err;
    throw new InputError({ file, message: `cannot write: ${(err as NodeJS.ErrnoException).code}` });
  }
}
