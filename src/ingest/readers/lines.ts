// Splits a text stream into lines (NDJSON), without holding more than one line and one chunk: a BOM at the start is
// dropped, `\r\n` ends a line like `\n`, and blank lines are skipped (but counted, so line numbers stay true).
import type { Readable } from 'node:stream';

/** Called for each non-blank line with its 1-based number; return false to stop reading. */
export type LineHandler = (line: string, lineNo: number) => boolean | void;

export interface LineStats {
  /** Lines seen, blank ones included. */
  lines: number;
  /** Non-blank lines. */
  records: number;
  /** True when reading stopped because the handler returned false. */
  stopped: boolean;
}

const isBlank = (s: string) => s.length === 0 || s.trim().length === 0;

export async function forEachLine(input: Readable, onLine: LineHandler): Promise<LineStats> {
  input.setEncoding('utf8');
  const stats: LineStats = { lines: 0, records: 0, stopped: false };
  let rest = '';
  let first = true;
  const emit = (raw: string): boolean => {
    stats.lines++;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if ((line.length === 0 || line.charCodeAt(0) <= 32 || line.charCodeAt(line.length - 1) <= 32) && isBlank(line)) return true;
    stats.records++;
    return onLine(line, stats.lines) !== false;
  };
  for await (const chunk of input) {
    let s = chunk as string;
    if (first) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let start = 0;
    let nl = s.indexOf('\n');
    if (nl >= 0 && rest.length) {
      const line = rest + s.slice(0, nl);
      rest = '';
      if (!emit(line)) {
        stats.stopped = true;
        input.destroy();
        return stats;
      }
      start = nl + 1;
      nl = s.indexOf('\n', start);
    }
    while (nl >= 0) {
      if (!emit(s.slice(start, nl))) {
        stats.stopped = true;
        input.destroy();
        return stats;
      }
      start = nl + 1;
      nl = s.indexOf('\n', start);
    }
    if (start < s.length) rest = rest.length ? rest + s.slice(start) : s.slice(start);
  }
  if (rest.length && !emit(rest)) stats.stopped = true;
  return stats;
}

/** Called for each non-blank line as bytes s..e-1 of `buf` (valid only during the call); return false to stop. */
export type ByteLineHandler = (buf: Buffer, s: number, e: number, lineNo: number) => boolean | void;

/** Whether bytes s..e-1 are a blank line (forEachLine's rule). */
export const isBlankBytes = (buf: Buffer, s: number, e: number): boolean => {
  if (s === e) return true;
  const a = buf[s];
  const z = buf[e - 1];
  // As forEachLine: only a line that starts or ends with an ASCII space or control character may be blank.
  if (a > 32 && z > 32) return false;
  return isBlank(buf.toString('utf8', s, e));
};

/**
 * Called after the lines of each buffer have been handed out: bytes 0..end-1 of `buf` held them (the byte offsets
 * the line handler saw). Reading waits for a returned promise.
 */
export type ChunkHandler = (buf: Buffer, end: number) => void | Promise<void>;

/**
 * forEachLine on bytes: the same lines, numbers and blank-line rules, without decoding each line to a string (for
 * readers that look at the bytes first). A line that spans chunks is joined into one buffer.
 */
export async function forEachLineBytes(input: Readable, onLine: ByteLineHandler, onChunk?: ChunkHandler): Promise<LineStats> {
  const stats: LineStats = { lines: 0, records: 0, stopped: false };
  let rest: Buffer | undefined;
  let first = true;
  const emit = (buf: Buffer, s: number, e: number): boolean => {
    stats.lines++;
    if (e > s && buf[e - 1] === 13) e--;
    if (isBlankBytes(buf, s, e)) return true;
    stats.records++;
    return onLine(buf, s, e, stats.lines) !== false;
  };
  for await (const chunk of input) {
    let buf = chunk as Buffer;
    if (rest) {
      buf = Buffer.concat([rest, buf]);
      rest = undefined;
    }
    let start = 0;
    if (first) {
      if (buf.length < 3) {
        rest = buf;
        continue;
      }
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3; // a BOM is not part of the data
    }
    let nl = buf.indexOf(10, start);
    while (nl >= 0) {
      if (!emit(buf, start, nl)) {
        stats.stopped = true;
        input.destroy();
        return stats;
      }
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    // Keep the partial last line (a copy: the stream may reuse its chunk).
    if (start < buf.length) rest = Buffer.from(buf.subarray(start));
    if (onChunk) await onChunk(buf, start);
  }
  if (rest && rest.length) {
    let s = 0;
    if (first && rest.length >= 3 && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) s = 3;
    else if (first && rest.length < 3 && rest[0] === 0xef) s = rest.length; // a lone partial BOM
    if (!emit(rest, s, rest.length)) stats.stopped = true;
    else if (onChunk) await onChunk(rest, rest.length);
  }
  return stats;
}
