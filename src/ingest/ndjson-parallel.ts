// The parallel NDJSON reader: a worker thread (ndjson-worker.ts) reads the file, splits the lines and runs the fast
// path's scanner and ID hashing; this thread interns the IDs and adds the records, in file order, to the builder.
// Lines the scanner declines come with their bytes and line number, and take the general path here as they would
// single-threaded, so the graph, the messages and their lines are the same either way.
//
// BLASTGUARD_INGEST_THREADS=1 keeps reading on one thread; =2 uses the reader thread for every NDJSON --graph file
// (the tests use it on small files). Unset: the reader thread is used for files of PARALLEL_MIN_BYTES or more when
// there is a second core to run it.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../model/errors.js';
import { SCAN_STRIDE } from './ndjson-fast.js';
import type { ChunkMessage, DoneMessage, ErrorMessage, ReaderData, ReturnMessage } from './ndjson-worker.js';
import type { LineStats } from './readers/lines.js';
import type { Progress } from './readers/open.js';

/** Below this size a thread's start-up (~40 ms) costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;
const MAX_IN_FLIGHT = 3;

// The worker runs the built JavaScript next to this module (under jest, which runs the TypeScript sources, there is
// none: the single-thread path is used, and the tests exercise this one through the built CLI). Written as
// '../ingest/…' so that it resolves to dist/ingest/ from this module and from the CLI bundle (dist/bundle/) alike.
const workerUrl = new URL('../ingest/ndjson-worker.js', import.meta.url);

/** Whether to read `bytes` of NDJSON with the reader thread. Throws when forced and the thread cannot run here. */
export function useReaderThread(bytes: number): boolean {
  const env = process.env.BLASTGUARD_INGEST_THREADS;
  if (env === '1') return false;
  const available = workerUrl.protocol === 'file:' && existsSync(fileURLToPath(workerUrl));
  if (env === '2') {
    if (!available) throw new Error(`BLASTGUARD_INGEST_THREADS=2, but the reader thread's module is missing (${workerUrl.href}): run the built code`);
    return true;
  }
  return available && bytes >= PARALLEL_MIN_BYTES && availableParallelism() >= 2;
}

/** The reader thread failed before it sent anything (it could not start): nothing has been read. */
export class ReaderThreadUnavailable extends Error {}

/** Whether BLASTGUARD_INGEST_THREADS=2 asks for the reader thread whatever happens (then no fallback). */
export const readerThreadForced = () => process.env.BLASTGUARD_INGEST_THREADS === '2';

/** Called for each non-blank line, scanned: row `o` of `rows` (see scanRecord); return false to stop reading. */
export type ScannedLineHandler = (buf: Buffer, rows: Int32Array, o: number, lineNo: number) => boolean | void;

/**
 * forEachLineBytes for a file, with the lines scanned on the reader thread. Read errors (of the file or of gzip)
 * reject with an Error carrying the original `code`, as the stream's own errors do; problems of the input (a line
 * past the limit) with the InputError the reader thread found (`shown` names the file in messages).
 */
export function forEachScannedLine(file: string, shown: string, onLine: ScannedLineHandler, progress?: Progress, json = false): Promise<LineStats> {
  // BLASTGUARD_INGEST_CHUNK_BYTES (for the tests): smaller reads, so that small files cross many chunk ends.
  const chunk = Number(process.env.BLASTGUARD_INGEST_CHUNK_BYTES);
  const data: ReaderData = { file, shown, maxInFlight: MAX_IN_FLIGHT, chunkBytes: Number.isInteger(chunk) && chunk >= 16 ? chunk : 1 << 22, json };
  let worker: Worker;
  try {
    worker = new Worker(workerUrl, { workerData: data });
  } catch (err) {
    return Promise.reject(new ReaderThreadUnavailable(`the NDJSON reader thread did not start: ${String(err)}`, { cause: err }));
  }
  return new Promise<LineStats>((resolve, reject) => {
    let settled = false;
    let heard = false;
    let records = 0;
    // Before the thread has sent anything, a failure means it did not start: the caller may read on one thread.
    const failed = (err: Error) => (heard ? err : new ReaderThreadUnavailable(`the NDJSON reader thread did not start: ${err.message}`, { cause: err }));
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: ChunkMessage | DoneMessage | ErrorMessage) => {
      if (settled) return;
      heard = true;
      if ('error' in m) {
        const { problems, code, message } = m.error;
        return settle(() => reject(problems ? new InputError(problems) : Object.assign(new Error(message), code ? { code } : {})));
      }
      if (progress) progress.bytes = m.bytes;
      if ('done' in m) return settle(() => resolve({ ...m.done, stopped: false }));
      const buf = Buffer.from(m.buf);
      const rows = m.rows;
      try {
        for (let k = 0, o = 0; k < m.n; k++, o += SCAN_STRIDE) {
          records++;
          if (onLine(buf, rows, o, m.first + rows[o + 1]) === false) {
            return settle(() => resolve({ lines: m.first + rows[o + 1], records, stopped: true }));
          }
        }
      } catch (err) {
        return settle(() => reject(err));
      }
      // Nothing keeps a reference into the chunk (the builder copies what it keeps): its buffers go back to be refilled.
      const back: ReturnMessage = { buf: m.buf, rows };
      worker.postMessage(back, [m.buf, rows.buffer]);
    });
    worker.on('error', (err) => settle(() => reject(failed(err))));
    worker.on('exit', (code) => settle(() => reject(failed(new Error(`the NDJSON reader thread stopped early (exit code ${code})`)))));
  });
}
