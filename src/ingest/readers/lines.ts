// Splits a text stream into lines (NDJSON), without holding more than one line and one chunk: a BOM at the start is
// dropped, `\r\n` ends a line like `\n`, and blank lines are skipped (but counted, so line numbers stay true).
// A line may be as long as the record limit (limits.ts) and no longer: the pieces of a line that spans chunks are
// kept apart and joined once, so a line of gigabytes fails at the limit, in time linear in what was read.
import type { Readable } from 'node:stream';
import { InputError } from '../../model/errors.js';
import { readLimits, recordTooLong } from './limits.js';

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

/** The error of line `line` of `file` past the record limit. */
export function lineTooLong(file: string, line: number): InputError {
  return new InputError({ file, line, message: recordTooLong(readLimits(), 'line') });
}

/** Options of the line readers. */
export interface LineOptions {
  /** The file named in messages. */
  file: string;
  /** Longest line, in characters (forEachLine) or bytes (forEachLineBytes); default: the record limit. */
  maxLine?: number;
}

export async function forEachLine(input: Readable, onLine: LineHandler, options: LineOptions = { file: '' }): Promise<LineStats> {
  input.setEncoding('utf8');
  const maxLine = options.maxLine ?? readLimits().maxRecord;
  const stats: LineStats = { lines: 0, records: 0, stopped: false };
  // The start of a line that spans chunks: pieces, joined when the line ends.
  let rest: string[] = [];
  let restLength = 0;
  let first = true;
  const emit = (raw: string): boolean => {
    stats.lines++;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line.length > maxLine) throw lineTooLong(options.file, stats.lines);
    if ((line.length === 0 || line.charCodeAt(0) <= 32 || line.charCodeAt(line.length - 1) <= 32) && isBlank(line)) return true;
    stats.records++;
    return onLine(line, stats.lines) !== false;
  };
  for await (const chunk of input) {
    let s = chunk as string;
    if (first) {
      if (s.length === 0) continue; // the BOM's bytes cut apart: the decoder holds them for the next chunk
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let start = 0;
    let nl = s.indexOf('\n');
    if (nl >= 0 && restLength) {
      if (restLength + nl > maxLine + 1) throw lineTooLong(options.file, stats.lines + 1);
      rest.push(s.slice(0, nl));
      const line = rest.join('');
      rest = [];
      restLength = 0;
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
    if (start < s.length) {
      restLength += s.length - start;
      // (+1: a `\r` before the newline to come is not part of the line)
      if (restLength > maxLine + 1) throw lineTooLong(options.file, stats.lines + 1);
      rest.push(s.slice(start));
    }
  }
  if (restLength && !emit(rest.join(''))) stats.stopped = true;
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
 * readers that look at the bytes first). A line that spans chunks is joined into one buffer with the chunk it ends in
 * (once: the pieces before are kept apart until then).
 */
export async function forEachLineBytes(
  input: Readable | readonly Buffer[],
  onLine: ByteLineHandler,
  options: LineOptions = { file: '' },
  onChunk?: ChunkHandler,
): Promise<LineStats> {
  const maxLine = options.maxLine ?? readLimits().maxRecord;
  const stats: LineStats = { lines: 0, records: 0, stopped: false };
  // The start of a line that spans chunks (copies: the stream may reuse its chunks).
  let rest: Buffer[] = [];
  let restLength = 0;
  let first = true;
  const emit = (buf: Buffer, s: number, e: number): boolean => {
    stats.lines++;
    if (e > s && buf[e - 1] === 13) e--;
    if (isBlankBytes(buf, s, e)) return true;
    stats.records++;
    return onLine(buf, s, e, stats.lines) !== false;
  };
  /** Keeps bytes of a line that goes on in the next chunk; fails as soon as they are more than a line may be. */
  const keep = (piece: Buffer) => {
    restLength += piece.length;
    // (+1: a `\r` before the newline to come is not part of the line)
    if (restLength > maxLine + 1) throw lineTooLong(options.file, stats.lines + 1);
    rest.push(Buffer.from(piece));
  };
  for await (const chunk of input) {
    let buf = chunk as Buffer;
    if (restLength) {
      // (At the start, the first three bytes are looked at together for a BOM.)
      const nl = buf.indexOf(10);
      if (first ? restLength + buf.length < 3 : nl < 0) {
        keep(buf);
        continue;
      }
      if (nl >= 0 && restLength + nl > maxLine + 1) throw lineTooLong(options.file, stats.lines + 1);
      rest.push(buf);
      buf = Buffer.concat(rest, restLength + buf.length);
      rest = [];
      restLength = 0;
    }
    let start = 0;
    if (first) {
      if (buf.length < 3) {
        keep(buf);
        continue;
      }
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3; // a BOM is not part of the data
    }
    let nl = buf.indexOf(10, start);
    // Only a buffer longer than the limit can hold a line longer than it: then each line is measured.
    const measure = buf.length - start > maxLine;
    while (nl >= 0) {
      if (measure && nl - start > maxLine && nl - start - (buf[nl - 1] === 13 ? 1 : 0) > maxLine) throw lineTooLong(options.file, stats.lines + 1);
      if (!emit(buf, start, nl)) {
        stats.stopped = true;
        if (!Array.isArray(input)) (input as Readable).destroy();
        return stats;
      }
      start = nl + 1;
      nl = buf.indexOf(10, start);
    }
    // Keep the partial last line.
    if (start < buf.length) keep(buf.subarray(start));
    if (onChunk) await onChunk(buf, start);
  }
  if (restLength) {
    const last = Buffer.concat(rest, restLength);
    if (last.length - (last[last.length - 1] === 13 ? 1 : 0) > maxLine) throw lineTooLong(options.file, stats.lines + 1);
    let s = 0;
    if (first && last.length >= 3 && last[0] === 0xef && last[1] === 0xbb && last[2] === 0xbf) s = 3;
    else if (first && last.length < 3 && last[0] === 0xef) s = last.length; // a lone partial BOM
    if (!emit(last, s, last.length)) stats.stopped = true;
    else if (onChunk) await onChunk(last, last.length);
  }
  return stats;
}
