// Streams a JSON document whose bulk is arrays: a top-level array of records, or a top-level object whose values are
// arrays of records (a snapshot's `entities`, graphology's `nodes`) or small values (a snapshot's `schema`).
//
// The scanner only finds where each element begins and ends (tracking strings, escapes and nesting); each element is
// then parsed with JSON.parse. Memory holds one element and one chunk, whatever the size of the file, and every element
// comes with the line it starts on. On the way the scanner holds each element to the read limits (its size, the
// length of its strings, its nesting depth: limits.ts) and counts the keys written in it, which the parsed value must
// have as many of: JSON.parse keeps only the last of two equal keys, and that must be an error, not a silent choice.
import type { Readable } from 'node:stream';
import { InputError } from '../../model/errors.js';
import { pathToField } from '../../model/json-schemas.js';
import { duplicateKeyError, inspect, jsonErrorMessage, parseExact } from './json-checks.js';
import { readLimits, recordTooLong, stringTooLong, tooDeep, type ReadLimits } from './limits.js';

export { jsonErrorMessage };

/**
 * Receives each element: `key` is the top-level key whose array holds it (undefined for a top-level array); `whole`
 * is true when `value` is the entire value of a top-level key that is not an array; `big` is true when the value
 * holds BigInts (integers beyond ±2^53, with the `exact` option). Return false to stop.
 */
export type JsonElementHandler = (key: string | undefined, value: unknown, line: number, index: number, whole: boolean, big: boolean) => boolean | void;

export interface JsonSplitterOptions {
  /** Integers beyond ±2^53 as BigInts of their exact digits (where they may be IDs), instead of rounded numbers. */
  exact?: boolean;
  /** The read limits (default: readLimits()). */
  limits?: ReadLimits;
}

const enum S {
  Top,
  ObjKey,
  ObjColon,
  ObjValue,
  ObjAfter,
  Arr,
  ArrAfter,
  End,
}

const WS = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

function describeChar(c: string): string {
  return c === undefined ? 'end of file' : JSON.stringify(c);
}

export class JsonSplitter {
  private state = S.Top;
  private line = 1;
  private top: 'array' | 'object' | undefined;
  private key: string | undefined;
  private index = 0;
  // Capture of the element (or key) being read.
  private capturing = false;
  private capIsKey = false;
  private capWhole = false;
  private capPieces: string[] = [];
  private capLine = 0;
  private capLength = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private first = true;
  /** Characters of the chunks before the current one; with the index in it, the offset of a character. */
  private offset = 0;
  /** Offset of the opening quote of the string being read. */
  private stringAt = 0;
  /** Colons outside strings in the element being read: the keys written in it. */
  private colons = 0;
  private readonly limits: ReadLimits;
  private readonly exact: boolean;
  stopped = false;
  /** The top-level keys seen so far (when the top level is an object). */
  readonly keys: string[] = [];
  private readonly keyLines = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly onElement: JsonElementHandler,
    options: JsonSplitterOptions = {},
  ) {
    this.limits = options.limits ?? readLimits();
    this.exact = options.exact ?? false;
  }

  private fail(message: string, line = this.line): never {
    return this.refuse(`not valid JSON: ${message}`, line);
  }

  /** A problem that stops the file (valid JSON past a limit, a duplicate key, or invalid JSON). */
  private refuse(message: string, line = this.line, field?: string): never {
    throw new InputError({ file: this.file, line, field, message });
  }

  /** Where the element being read is in the document, for messages: `entities[3]`, `schema`, `[3]`. */
  private place(): (string | number)[] {
    if (this.capWhole) return [this.key!];
    return this.key === undefined ? [this.index] : [this.key, this.index];
  }

  /** Keeps the rest of a chunk of `n` characters as part of the element being read, within the limits. */
  private keep(piece: string, n: number): void {
    this.capLength += piece.length;
    if (this.capLength > this.limits.maxRecord) this.refuse(recordTooLong(this.limits, 'value that starts on this line'), this.capLine);
    if (this.inString && this.offset + n - this.stringAt > this.limits.maxString) this.refuse(stringTooLong(this.limits));
    this.capPieces.push(piece);
  }

  /** Parses one element's text; JSON.parse errors are turned into a line inside the element. */
  private parse(text: string, line: number): unknown {
    try {
      return JSON.parse(text);
    } catch (err) {
      const msg = (err as Error).message;
      const m = /position (\d+)/.exec(msg);
      let l = line;
      if (m) for (let i = 0, p = Number(m[1]); i < p && i < text.length; i++) if (text.charCodeAt(i) === 10) l++;
      return this.fail(jsonErrorMessage(err), l);
    }
  }

  private finishCapture(s: string, from: number, to: number): void {
    const piece = s.slice(from, to);
    if (this.capLength + piece.length > this.limits.maxRecord) this.refuse(recordTooLong(this.limits, 'value that starts on this line'), this.capLine);
    const text = (this.capPieces.length ? this.capPieces.join('') + piece : piece).trimEnd();
    this.capPieces = [];
    this.capturing = false;
    if (this.capIsKey) {
      const key = this.parse(text, this.capLine) as string;
      const first = this.keyLines.get(key);
      if (first !== undefined) {
        this.refuse(
          `duplicate key ${JSON.stringify(key)} (first on line ${first}; a JSON reader would silently keep only the last value)`,
          this.capLine,
          pathToField([key]),
        );
      }
      this.keyLines.set(key, this.capLine);
      this.key = key;
      this.keys.push(key);
      this.state = S.ObjColon;
      return;
    }
    let value = this.parse(text, this.capLine);
    let big = false;
    if (value !== null && typeof value === 'object') {
      const r = inspect(value, this.limits);
      if (r.problem) this.refuse(r.problem, this.capLine);
      if (r.keys !== this.colons) {
        const dup = duplicateKeyError(text, this.file, this.capLine, this.place());
        if (dup) throw dup;
      }
      if (this.exact && r.unsafe) {
        value = parseExact(text);
        big = true;
      }
    }
    if (this.onElement(this.key, value, this.capLine, this.index++, this.capWhole, big) === false) this.stopped = true;
  }

  /** Feeds the next chunk of text. */
  push(chunk: string): void {
    let s = chunk;
    if (this.first) {
      this.first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const n = s.length;
    let i = 0;
    let capStart = this.capturing ? 0 : -1;
    const { maxString, maxDepth } = this.limits;
    while (i < n && !this.stopped) {
      if (this.capturing) {
        // Inside an element: find where it ends.
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (this.inString) {
            if (this.escape) this.escape = false;
            else if (c === 92) this.escape = true;
            else if (c === 34) {
              this.inString = false;
              if (this.offset + i - this.stringAt > maxString) this.refuse(stringTooLong(this.limits));
              if (this.capIsKey) {
                this.finishCapture(s, capStart, i + 1);
                i++;
                break;
              }
            } else if (c === 10) this.line++;
            continue;
          }
          if (c === 34) {
            this.inString = true;
            this.stringAt = this.offset + i;
          } else if (c === 58) this.colons++;
          else if (c === 123 || c === 91) {
            if (++this.depth > maxDepth) this.refuse(tooDeep(this.limits));
          } else if (c === 125 || c === 93) {
            if (this.depth === 0) break; // the parent's closing bracket: the element ended before it
            this.depth--;
          } else if (c === 44) {
            if (this.depth === 0) break;
          } else if (c === 10) this.line++;
        }
        if (!this.capturing) continue; // a key was finished
        if (i >= n) {
          this.keep(s.slice(capStart), n);
          this.offset += n;
          return;
        }
        this.finishCapture(s, capStart, i);
        this.state = this.capWhole ? S.ObjAfter : S.ArrAfter;
        continue;
      }
      const c = s.charCodeAt(i);
      if (WS(c)) {
        if (c === 10) this.line++;
        i++;
        continue;
      }
      const ch = s[i];
      switch (this.state) {
        case S.Top:
          if (ch === '[') {
            this.top = 'array';
            this.state = S.Arr;
            this.afterComma = false;
          } else if (ch === '{') {
            this.top = 'object';
            this.state = S.ObjKey;
            this.afterComma = false;
          } else this.fail(`expected an array or an object, found ${describeChar(ch)}`);
          i++;
          break;
        case S.ObjKey:
        case S.ObjAfter:
          if (ch === '}' && !this.afterComma) {
            this.state = S.End;
          } else if (this.state === S.ObjAfter && ch === ',') {
            this.state = S.ObjKey;
            this.afterComma = true;
          } else if (this.state === S.ObjKey && ch === '"') {
            this.startCapture(true, false);
            capStart = i;
            this.inString = true;
            this.stringAt = this.offset + i;
            this.afterComma = false;
          } else this.fail(this.state === S.ObjKey ? `expected a key in quotes, found ${describeChar(ch)}` : `expected "," or "}", found ${describeChar(ch)}`);
          i++;
          break;
        case S.ObjColon:
          if (ch !== ':') this.fail(`expected ":" after the key ${JSON.stringify(this.key)}, found ${describeChar(ch)}`);
          this.state = S.ObjValue;
          i++;
          break;
        case S.ObjValue:
          if (ch === '[') {
            this.state = S.Arr;
            this.index = 0;
            this.afterComma = false;
            i++;
          } else {
            this.startCapture(false, true);
            capStart = i;
          }
          break;
        case S.Arr:
        case S.ArrAfter:
          if (ch === ']' && !(this.state === S.Arr && this.afterComma)) {
            this.state = this.top === 'array' ? S.End : S.ObjAfter;
            this.afterComma = false;
            i++;
          } else if (this.state === S.ArrAfter) {
            if (ch !== ',') this.fail(`expected "," or "]", found ${describeChar(ch)}`);
            this.state = S.Arr;
            i++;
            // `[1,]` is caught when the next token is "]" right after the comma
            this.afterComma = true;
          } else {
            if (ch === ',' || ch === ']') this.fail(`unexpected ${describeChar(ch)}`);
            this.afterComma = false;
            this.startCapture(false, false);
            capStart = i;
          }
          break;
        case S.End:
          this.fail(`unexpected ${describeChar(ch)} after the end of the JSON value`);
      }
    }
    // A capture that began on the last characters of this chunk keeps them for the next one.
    if (this.capturing && !this.stopped) this.keep(s.slice(capStart), n);
    this.offset += n;
  }

  private afterComma = false;

  private startCapture(isKey: boolean, whole: boolean): void {
    this.capturing = true;
    this.capIsKey = isKey;
    this.capWhole = whole;
    this.capLine = this.line;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.capPieces = [];
    this.capLength = 0;
    this.colons = 0;
  }

  /** Call at the end of the input. */
  end(): void {
    if (this.stopped) return;
    if (this.state === S.Top && !this.capturing) throw new InputError({ file: this.file, line: 1, message: 'file is empty' });
    if (this.capturing) this.fail('the file ends inside the value that starts on this line (is it truncated?)', this.capLine);
    if (this.state !== S.End) this.fail('the file ends before the JSON is closed (is it truncated?)');
  }
}

/** Reads a JSON stream, calling `onElement` for each element (see JsonSplitter). */
export async function forEachJsonElement(
  input: Readable,
  file: string,
  onElement: JsonElementHandler,
  options: JsonSplitterOptions = {},
): Promise<{ keys: string[] }> {
  input.setEncoding('utf8');
  const splitter = new JsonSplitter(file, onElement, options);
  for await (const chunk of input) {
    splitter.push(chunk as string);
    if (splitter.stopped) {
      input.destroy();
      return { keys: splitter.keys };
    }
  }
  splitter.end();
  return { keys: splitter.keys };
}
