// The reader thread of the parallel NDJSON reader (ndjson-parallel.ts): reads the file (gunzipping it), splits it
// into lines as forEachLineBytes does (a plain file is read straight into the buffers it sends), scans each line with the fast path's scanner (scanRecord: spans and ID hashes)
// and sends each chunk's bytes with its rows of integers to the main thread, which adds them to the graph in order.
// At most `maxInFlight` chunks wait for the main thread, so memory stays a few chunks whatever the file size.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { InputProblem } from '../model/errors.js';
import { InputError } from '../model/errors.js';
import { COMMA_AFTER, scanChunkStart, scanRecord, SCAN_DECLINED, SCAN_STRIDE, setScanLimits } from './ndjson-fast.js';
import { readLimits } from './readers/limits.js';
import { forEachLineBytes, isBlankBytes, lineTooLong, type LineStats } from './readers/lines.js';
import { checkInput, newProgress, openInput } from './readers/open.js';

export interface ReaderData {
  file: string;
  /** The file as messages name it. */
  shown: string;
  maxInFlight: number;
  /** Bytes per read of a plain file. */
  chunkBytes: number;
  /** Snapshot JSON in its canonical layout (snapshot-json-fast.ts): a record line's blanks and trailing comma are not scanned. */
  json?: boolean;
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
  /** A problem of the input (a line past the limit…): the main thread throws it as an InputError. */
  error: { code?: string; message: string; problems?: InputProblem[] };
}

const port = parentPort!;
const { file, shown, maxInFlight, chunkBytes: CHUNK, json } = workerData as ReaderData;
// The same limits as the main thread (read from the same environment): the scanner declines what the general path
// must refuse, and a line past the limit fails here, before it is all in memory.
const limits = readLimits();
setScanLimits(limits);

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

function onLine(buf: Uint8Array, s: number, e: number, no: number): void {
  if (n === 0) first = no;
  const o = n * SCAN_STRIDE;
  if (o + SCAN_STRIDE > rows.length) {
    const next = new Int32Array(rows.length * 2);
    next.set(rows);
    rows = next;
  }
  if (json) scanJsonLine(buf, s, e, o);
  else scanRecord(buf, s, e, rows, o);
  rows[o + 1] = no - first;
  n++;
}

/** A line of snapshot JSON: a record (`{…}` with blanks and a trailing comma around it) is scanned without them. */
function scanJsonLine(buf: Uint8Array, s: number, e: number, o: number): void {
  let i = s;
  while (i < e && buf[i] <= 0x20) i++;
  if (i === e || buf[i] !== 0x7b) return scanRecord(buf, s, e, rows, o);
  let j = e;
  while (j > i && buf[j - 1] <= 0x20) j--;
  const comma = buf[j - 1] === 0x2c;
  scanRecord(buf, i, comma ? j - 1 : j, rows, o);
  if (rows[o] === SCAN_DECLINED) {
    // Not a record (the schema's opening line, say): the main thread sees the whole line.
    rows[o + 2] = s;
    rows[o + 3] = e;
  } else if (comma) rows[o] |= COMMA_AFTER;
}

/** Sends the rows so far with `ab`, the buffer their offsets point into (or keeps `ab` when there are none). */
async function send(ab: ArrayBuffer): Promise<void> {
  scanChunkStart();
  if (n === 0) {
    freeBytes.push(ab);
    return;
  }
  const msg: ChunkMessage = { buf: ab, rows, n, first, bytes: progress.bytes };
  port.postMessage(msg, [ab, rows.buffer]);
  rows = freeRows.pop() ?? new Int32Array(SCAN_STRIDE * 16384);
  n = 0;
  inFlight++;
  while (inFlight >= maxInFlight) await new Promise<void>((resolve) => (wake = resolve));
}

/** A free buffer of at least `size` bytes. */
function bytesOf(size: number): ArrayBuffer {
  for (let k = freeBytes.length - 1; k >= 0; k--) if (freeBytes[k].byteLength >= size) return freeBytes.splice(k, 1)[0];
  return new ArrayBuffer(size);
}

/** gzip, or a file too short to hold a BOM: forEachLineBytes on the stream, each chunk's lines copied to send. */
async function readStream(): Promise<LineStats> {
  return forEachLineBytes(openInput(file, progress, { shown }), onLine, { file: shown, maxLine: limits.maxRecord }, async (buf, end) => {
    if (n === 0) return scanChunkStart();
    const ab = bytesOf(end + (end >> 2)); // room for the next chunk and a line carried over
    buf.copy(new Uint8Array(ab), 0, 0, end);
    await send(ab);
  });
}

/**
 * A plain file, read straight into the buffers that are sent (no copy, no stream): forEachLineBytes's lines,
 * numbers and rules (a BOM at the start dropped, `\r\n` as `\n`, blank lines counted and skipped).
 */
async function readPlain(fd: number): Promise<LineStats> {
  const stats: LineStats = { lines: 0, records: 0, stopped: false };
  let ab = bytesOf(CHUNK + (CHUNK >> 2));
  let buf = Buffer.from(ab);
  let len = 0;
  let started = false;
  const lines = (end: number) => {
    let start = 0;
    if (!started) {
      started = true;
      if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    let nl = start < end ? buf.indexOf(10, start) : -1;
    while (nl >= 0 && nl < end) {
      emit(start, nl);
      start = nl + 1;
      nl = start < end ? buf.indexOf(10, start) : -1;
    }
    if (start < end) emit(start, end); // the last line, without a newline
  };
  const emit = (s: number, e: number) => {
    stats.lines++;
    if (e > s && buf[e - 1] === 13) e--;
    if (e - s > limits.maxRecord) throw lineTooLong(shown, stats.lines);
    if (isBlankBytes(buf, s, e)) return;
    stats.records++;
    onLine(buf, s, e, stats.lines);
  };
  for (;;) {
    if (buf.length - len < CHUNK >> 1) {
      // A line longer than the buffer: a bigger one, holding what is read so far.
      const bigger = bytesOf(Math.max(buf.length * 2, len + CHUNK));
      buf.copy(new Uint8Array(bigger), 0, 0, len);
      freeBytes.push(ab);
      ab = bigger;
      buf = Buffer.from(ab);
    }
    const got = readSync(fd, buf, len, buf.length - len, null);
    progress.bytes += got;
    if (got === 0) break;
    const nl = buf.subarray(len, len + got).lastIndexOf(10);
    len += got;
    if (nl < 0) {
      // All of the buffer is one line so far (+1: a `\r` before its newline is not part of it).
      if (len > limits.maxRecord + 1 + (started ? 0 : 3)) throw lineTooLong(shown, stats.lines + 1);
      continue;
    }
    const end = len - got + nl + 1;
    lines(end);
    // The partial last line moves to the front of the next buffer.
    const next = bytesOf(Math.max(CHUNK + (CHUNK >> 2), len - end + CHUNK));
    buf.copy(new Uint8Array(next), 0, end, len);
    len -= end;
    await send(ab);
    ab = next;
    buf = Buffer.from(ab);
  }
  if (len > 0) lines(len);
  await send(ab);
  return stats;
}

try {
  let stats: LineStats;
  const gz = checkInput(file, { shown });
  const fd = gz ? undefined : openSync(file, 'r');
  try {
    stats = fd !== undefined && fstatSync(fd).size >= 3 ? await readPlain(fd) : await readStream();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const done: DoneMessage = { done: { lines: stats.lines, records: stats.records }, bytes: progress.bytes };
  port.postMessage(done);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  const msg: ErrorMessage = {
    error: {
      code: typeof e?.code === 'string' ? e.code : undefined,
      message: String(e?.message ?? e),
      problems: err instanceof InputError ? err.problems : undefined,
    },
  };
  port.postMessage(msg);
}
port.off('message', onReturn);
