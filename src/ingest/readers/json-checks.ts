// What JSON.parse does not check, checked on each parsed record: duplicate keys (JSON.parse silently keeps the last
// value, so `{"type": "site", …, "type": "product"}` would make a site a product), nesting depth, string length, and
// integers too large to be exact as JavaScript numbers (64-bit IDs that platforms export as numbers).
//
// Cheap on the common path: one walk of the parsed value counts its keys and sees its strings, depth and numbers; the
// colons of the text that follow a quote are counted (a key's colon always does), and only when there are more of
// them than keys is the text scanned for the keys it writes; the duplicate is located by a third, slow scan only when
// those counts differ.
import { InputError } from '../../model/errors.js';
import { pathToField } from '../../model/json-schemas.js';
import { stringTooLong, tooDeep, type ReadLimits } from './limits.js';

/** JSON.parse's message without its position and without the (possibly huge) excerpt of the text. */
export function jsonErrorMessage(err: unknown): string {
  return String((err as Error).message)
    .replace(/^Unexpected/, 'unexpected')
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

// Results of the last walk (module scratch: a walk allocates nothing).
const PROBLEM_NONE = 0;
const PROBLEM_DEEP = 1;
const PROBLEM_STRING = 2;
let problem = PROBLEM_NONE;
let unsafeSeen = false;
let maxDepth = 100;
let maxString = 16 << 20;

// 2^53: from here on, not every integer is a distinct JavaScript number.
const UNSAFE = 9007199254740992;

function walk(v: object, depth: number): number {
  if (depth > maxDepth) {
    problem = PROBLEM_DEEP;
    return 0;
  }
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object') {
        if (x !== null) n += walk(x, depth + 1);
      } else if (typeof x === 'string') {
        if (x.length > maxString) problem = PROBLEM_STRING;
      } else if (typeof x === 'number' && (x >= UNSAFE || x <= -UNSAFE)) unsafeSeen = true;
    }
    return n;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    n++;
    const x = o[k];
    if (typeof x === 'object') {
      if (x !== null) n += walk(x, depth + 1);
    } else if (typeof x === 'string') {
      if (x.length > maxString) problem = PROBLEM_STRING;
    } else if (typeof x === 'number' && (x >= UNSAFE || x <= -UNSAFE)) unsafeSeen = true;
    if (k.length > maxString) problem = PROBLEM_STRING;
  }
  return n;
}

/** What a parsed record holds, for the checks (valid until the next call). */
export interface Inspection {
  /** Keys of all its objects, as parsed (a duplicate counts once). */
  keys: number;
  /** A number of magnitude 2^53 or more: an integer there may have been rounded. */
  unsafe: boolean;
  /** A limit it breaks (a message), or undefined. */
  problem: string | undefined;
}

const inspection: Inspection = { keys: 0, unsafe: false, problem: undefined };

/** Walks a parsed value (a record: the walk stops below the depth limit). */
export function inspect(v: unknown, limits: ReadLimits): Inspection {
  problem = PROBLEM_NONE;
  unsafeSeen = false;
  maxDepth = limits.maxDepth;
  maxString = limits.maxString;
  inspection.keys = v !== null && typeof v === 'object' ? walk(v, 1) : 0;
  if (typeof v === 'string' && v.length > maxString) problem = PROBLEM_STRING;
  inspection.unsafe = unsafeSeen;
  inspection.problem = problem === PROBLEM_DEEP ? tooDeep(limits) : problem === PROBLEM_STRING ? stringTooLong(limits) : undefined;
  return inspection;
}

/** Index of the quote that closes the string whose opening quote is at i, or -1. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    j = text.indexOf('"', j);
    if (j < 0) return -1;
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) return j; // an even run of backslashes escapes only itself
    j++;
  }
}

/** Keys written in the text of a valid JSON value: the colons outside strings. */
export function keysInText(text: string): number {
  let colons = 0;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const j = stringEnd(text, i);
      if (j < 0) break;
      i = j;
    } else if (c === 58) colons++;
  }
  return colons;
}

/** Whether a valid JSON text holds more keys than `parsed` (the value's count): then a key is there twice. */
export function hasDuplicateKeys(text: string, parsed: number): boolean {
  // Every key is followed by a colon whose nearest character before it, spaces aside, is the key's closing quote.
  // Colons inside strings rarely look so (only after a quote, escaped or the string's own opening one): when no
  // more colons than keys parsed look like that, no key was dropped. Otherwise count the keys exactly.
  let keyLike = 0;
  for (let p = text.indexOf(':'); p >= 0; p = text.indexOf(':', p + 1)) {
    let k = p - 1;
    let c = text.charCodeAt(k);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = text.charCodeAt(--k);
    if (c === 34 && ++keyLike > parsed) return keysInText(text) !== parsed;
  }
  return keyLike !== parsed && keysInText(text) !== parsed;
}

export interface DuplicateKey {
  key: string;
  /** Where it is inside the value: the keys and indexes of its parents, then the key. */
  path: (string | number)[];
  /** Offsets in the text of the first and the second occurrence. */
  first: number;
  second: number;
}

interface Frame {
  keys: Map<string, number> | undefined;
  at: string | number;
  expectKey: boolean;
}

/** Finds a key that appears twice in one object of a valid JSON text (the slow path, only after a count differed). */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 123) stack.push({ keys: new Map(), at: '', expectKey: true });
    else if (c === 91) stack.push({ keys: undefined, at: 0, expectKey: false });
    else if (c === 125 || c === 93) stack.pop();
    else if (c === 44 && top) {
      if (top.keys) top.expectKey = true;
      else (top.at as number)++;
    } else if (c === 34) {
      const j = stringEnd(text, i);
      if (j < 0) return undefined;
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const first = top.keys.get(key);
        if (first !== undefined) return { key, path: [...stack.slice(0, -1).map((f) => f.at), key], first, second: i };
        top.keys.set(key, i);
        top.at = key;
        top.expectKey = false;
      }
      i = j;
    }
  }
  return undefined;
}

/** Line of `offset` in a text whose first character is on line `line`. */
export function lineAt(text: string, offset: number, line: number): number {
  for (let p = text.indexOf('\n'); p >= 0 && p < offset; p = text.indexOf('\n', p + 1)) line++;
  return line;
}

/**
 * The error for a duplicate key in `text` (a record starting on `line`; `prefix` is its place in the file, such as
 * `entities[3]`), or undefined when there is none after all.
 */
export function duplicateKeyError(text: string, file: string, line: number, prefix: (string | number)[] = []): InputError | undefined {
  const d = findDuplicateKey(text);
  if (!d) return undefined;
  const first = lineAt(text, d.first, line);
  const second = lineAt(text, d.second, line);
  const where = first === second ? 'both on this line' : `first on line ${first}`;
  return new InputError({
    file,
    line: second,
    field: pathToField([...prefix, ...d.path]),
    message: `duplicate key ${JSON.stringify(d.key)} (${where}; a JSON reader would silently keep only the last value)`,
  });
}

// Integers that JavaScript numbers cannot hold exactly are parsed as BigInt where IDs can come from them: each such
// literal is replaced by a string marker before JSON.parse, and the marker by the BigInt after. The marker starts with
// a NUL (which JSON text can only write escaped) and a per-process nonce, so no input can forge one.
const MARKER = `\u0000bigint-${Math.random().toString(36).slice(2)}-`;
const MARKER_JSON = JSON.stringify(MARKER).slice(1, -1);

const isDigit = (c: number) => c >= 48 && c <= 57;

/** JSON.parse of a valid JSON text, with every integer literal beyond ±2^53 as a BigInt of its exact digits. */
export function parseExact(text: string): unknown {
  const digits: string[] = [];
  let out = '';
  let from = 0;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const j = stringEnd(text, i);
      if (j < 0) break;
      i = j;
      continue;
    }
    if (c !== 45 && !isDigit(c)) continue;
    let j = i + 1;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    let k = j;
    while (k < n && (isDigit(text.charCodeAt(k)) || text[k] === '.' || text[k] === 'e' || text[k] === 'E' || text[k] === '+' || text[k] === '-')) k++;
    const literal = text.slice(i, k);
    if (k === j && !Number.isSafeInteger(Number(literal))) {
      out += `${text.slice(from, i)}"${MARKER_JSON}${digits.length}"`;
      digits.push(literal);
      from = k;
    }
    i = k - 1;
  }
  if (digits.length === 0) return JSON.parse(text);
  return restore(JSON.parse(out + text.slice(from)), digits);
}

function restore(v: unknown, digits: string[]): unknown {
  if (typeof v === 'string') return v.startsWith(MARKER) ? BigInt(digits[Number(v.slice(MARKER.length))]) : v;
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) o[k] = restore(o[k], digits);
  return v;
}

/** A copy of a value with every BigInt (from parseExact) as a plain number: for attribute values, which stay numbers. */
export function withoutBigInts(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(withoutBigInts);
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v) as object | null);
  for (const k of Object.keys(v)) out[k] = withoutBigInts((v as Record<string, unknown>)[k]);
  return out;
}

/** Whether the last checkedParse returned BigInts. */
let lastBig = false;
export const parsedBigInts = (): boolean => lastBig;

/**
 * JSON.parse of one record's text (an NDJSON line on `line`) with the checks: throws InputError for invalid JSON, a
 * duplicate key, a string or a nesting past the limits. With `exact`, integers beyond ±2^53 come back as BigInts
 * (then parsedBigInts() is true).
 */
export function checkedParse(text: string, file: string, line: number, limits: ReadLimits, exact: boolean): unknown {
  lastBig = false;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new InputError({ file, line, message: `not valid JSON: ${jsonErrorMessage(err)}` });
  }
  if (v === null || typeof v !== 'object') return v;
  const r = inspect(v, limits);
  if (r.problem) throw new InputError({ file, line, message: r.problem });
  if (r.keys > 0 && hasDuplicateKeys(text, r.keys)) {
    const e = duplicateKeyError(text, file, line);
    if (e) throw e;
  }
  if (exact && r.unsafe) {
    v = parseExact(text);
    lastBig = true;
  }
  return v;
}
