// Rows of `COPY … TO STDOUT` in PostgreSQL's text format, streamed: one row per line, columns separated by tabs,
// `\N` for NULL, and backslash escapes for tab, newline, backslash and the other control characters.
import { StringDecoder } from 'node:string_decoder';
import type { RowBatch } from './copy-rows.js';

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Decodes one field (never `\N`, which the caller turns into null). */
export function unescapeCopy(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch !== '\\' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const next = s[++i];
    if (ESCAPES[next] !== undefined) out += ESCAPES[next];
    else if (next >= '0' && next <= '7') {
      let j = i;
      while (j < i + 3 && j < s.length && s[j] >= '0' && s[j] <= '7') j++;
      out += String.fromCharCode(parseInt(s.slice(i, j), 8));
      i = j - 1;
    } else if (next === 'x' && /^[0-9a-fA-F]/.test(s[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else out += next;
  }
  return out;
}

/** Splits a stream of COPY text-format bytes into rows of fields (null for `\N`). */
export class CopyTextParser {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  constructor(private readonly onRow: (fields: (string | null)[]) => void) {}
  push(chunk: Buffer): void {
    const text = this.rest + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.row(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }
  end(): void {
    const text = this.rest + this.decoder.end();
    if (text !== '') this.row(text);
    this.rest = '';
  }
  /** Takes a batch of rows (copy-rows.ts: one CopyData message each, without its newline). */
  take(batch: RowBatch): void {
    for (let k = 0; k < batch.n; k++) this.row(batch.buf.toString('utf8', batch.starts[k], batch.ends[k]));
  }
  private row(line: string): void {
    this.onRow(line.split('\t').map((f) => (f === '\\N' ? null : unescapeCopy(f))));
  }
}
