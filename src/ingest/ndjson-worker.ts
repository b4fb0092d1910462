// The reader thread of the parallel NDJSON reader (ndjson-parallel.ts): reads the file (gunzipping it), splits it
// into lines as forEachLineBytes does, scans each line with the fast path's scanner (scanRecord: spans and ID hashes)
// and sends each chunk's bytes with its rows of integers to the main thread, which adds them to the graph in order.
// At most `maxInFlight` chunks wait for the main thread, so memory stays a few chunks whatever the file size.
import { parentPort, workerData } from 'node:worker_threads';
import { scanChunkStart, scanRecord, SCAN_STRIDE } from './ndjson-fast.js';
import { forEachLineBytes } from './readers/lines.js';
import { newProgress, openInput } from './readers/open.js';

export interface ReaderData {
  file: string;
  maxInFlight: number;
}

/**
 * A chunk of lines: `buf` holds their bytes (from offset 0; it may be longer); row k of `rows` (SCAN_STRIDE
 * integers, `n` rows) is the line `first + rows[k*SCAN_STRIDE + 1]`.
 */
export interface ChunkMessage {
  buf: ArrayBuffer;
  rows: Int32Array<ArrayBuffer>;
  n: number;
  first: number;
  /** Bytes read from disk so far (for the progress bar). */
  bytes: number;
}
/** A chunk's buffers, sent back to be filled again. */
export interface ReturnMessage {
  buf: ArrayBuffer;
  rows: Int32Array<ArrayBuffer>;
}
export interface DoneMessage {
  done: { lines: number; records: number };
  bytes: number;
}
export interface ErrorMessage {
  error: { code?: string; message: string };
}

const port = parentPort!;
const { file, maxInFlight } = workerData as ReaderData;

// The main thread sends each chunk's buffers back once it is done with them, and they are filled again: a few
// buffers go round instead of one pair per chunk left for the garbage collector.
const freeBytes: ArrayBuffer[] = [];
const freeRows: Int32Array<ArrayBuffer>[] = [];
let inFlight = 0;
let wake: (() => void) | undefined;
const onReturn = (m: ReturnMessage) => {
  inFlight--;
  freeBytes.push(m.buf);
  freeRows.push(m.rows);
  const w = wake;
  wake = undefined;
  w?.();
};
port.on('message', onReturn);

const progress = newProgress();
let rows: Int32Array<ArrayBuffer> = new Int32Array(SCAN_STRIDE * 16384);
let n = 0;
let first = 0;

try {
  const stats = await forEachLineBytes(
    openInput(file, progress),
    (buf, s, e, no) => {
      if (n === 0) first = no;
      const o = n * SCAN_STRIDE;
      if (o + SCAN_STRIDE > rows.length) {
        const next = new Int32Array(rows.length * 2);
        next.set(rows);
        rows = next;
      }
      scanRecord(buf, s, e, rows, o);
      rows[o + 1] = no - first;
      n++;
    },
    async (buf, end) => {
      scanChunkStart();
      if (n === 0) return;
      // A copy: the stream may reuse its chunk, and the copy's memory moves to the main thread without another.
      let ab = freeBytes.pop();
      if (ab === undefined || ab.byteLength < end) ab = new ArrayBuffer(end + (end >> 2)); // room for the next chunk and a line carried over
      buf.copy(new Uint8Array(ab), 0, 0, end);
      const msg: ChunkMessage = { buf: ab, rows, n, first, bytes: progress.bytes };
      port.postMessage(msg, [ab, rows.buffer]);
      rows = freeRows.pop() ?? new Int32Array(SCAN_STRIDE * 16384);
      n = 0;
      inFlight++;
      while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (wake = resolve));
    },
  );
  const done: DoneMessage = { done: { lines: stats.lines, records: stats.records }, bytes: progress.bytes };
  port.postMessage(done);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  const msg: ErrorMessage = { error: { code: typeof e?.code === 'string' ? e.code : undefined, message: String(e?.message ?? e) } };
  port.postMessage(msg);
}
port.off('message', onReturn);
