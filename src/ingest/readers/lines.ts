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
