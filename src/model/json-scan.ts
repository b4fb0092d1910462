// What JSON.parse cannot tell: duplicate keys (it keeps the last silently), nesting depth (checked before parsing,
// so nothing recursive ever sees a deep text) and over-long strings, found by one linear scan of the text; and, in a
// parsed value, numbers that JSON or YAML turned into something else (1e400 → Infinity, 2^53 + 1 → 2^53).
// Iterative throughout: a 100,000-deep text costs a loop, not a stack.

export interface JsonScanLimits {
  /** Deepest nesting of objects and arrays allowed. */
  maxDepth: number;
  /** Longest string (in source characters, quotes excluded) allowed. */
  maxString: number;
  /** Look for duplicate keys (false: depth and strings only, e.g. before locating an error line). */
  keys?: boolean;
  /**
   * Most objects and arrays in all (JSON.parse spends ~100 bytes and real time on each: 64 MiB of `{},` is 21 million
   * objects, gigabytes). Unlimited when absent.
   */
  maxContainers?: number;
  /** Most values in all (members of objects and arrays, counted by their separators). Unlimited when absent. */
  maxValues?: number;
}

export interface JsonScanProblem {
  kind: 'depth' | 'duplicate' | 'string' | 'count';
  /** Character offset where the problem is (the second key of a duplicate). */
  offset: number;
  /** For a duplicate: offset of the first key. */
  firstOffset?: number;
  /** Path of the offending member (for a duplicate: the key's path). */
  path: (string | number)[];
  message: string;
}

interface Level {
  /** Whether duplicate keys are looked for here (an object, when `keys` is wanted). */
  object: boolean;
  /** Keys seen after the first (created on the second key: most objects are small, and a text may hold millions). */
  keys: Map<string, number> | null;
  /** Offset of the first key (-1 before it). */
  firstAt: number;
  /** The current member: key in an object, index in an array. */
  at: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Offset of the quote that ends the string opened at `open`, or -1 when the text ends first. */
function stringEnd(text: string, open: number): number {
  let j = text.indexOf('"', open + 1);
  while (j > 0) {
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j; // an even run of backslashes: the quote is not escaped
    j = text.indexOf('"', j + 1);
  }
  return -1;
}

/**
 * The first problem of a JSON text, or undefined. Meant for text that JSON.parse accepts (duplicates are only
 * meaningful then); on malformed text it never throws or loops, it just may miss things.
 */
export function scanJson(text: string, limits: JsonScanLimits): JsonScanProblem | undefined {
  const keysWanted = limits.keys !== false;
  const stack: Level[] = [];
  const path = () => stack.map((l) => l.at);
  let expectKey = false;
  const maxContainers = limits.maxContainers ?? Infinity;
  const maxValues = limits.maxValues ?? Infinity;
  let containers = 0;
  let separators = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      if (end - i - 1 > limits.maxString) {
        return { kind: 'string', offset: i, path: path(), message: `a string of ${end - i - 1} characters: the limit is ${limits.maxString}` };
      }
      if (expectKey) {
        const level = stack[stack.length - 1];
        const raw = text.slice(i + 1, end);
        let key = raw;
        if (raw.includes('\\')) {
          try {
            key = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            return undefined; // malformed: JSON.parse reports it
          }
        }
        if (level.object) {
          if (level.firstAt < 0) level.firstAt = i;
          else {
            if (level.keys === null) level.keys = new Map([[level.at as string, level.firstAt]]);
            const first = level.keys.get(key);
            if (first !== undefined) {
              level.at = key;
              return { kind: 'duplicate', offset: i, firstOffset: first, path: path(), message: `duplicate key ${JSON.stringify(key)}` };
            }
            level.keys.set(key, i);
          }
        }
        level.at = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= limits.maxDepth) {
        return { kind: 'depth', offset: i, path: path(), message: `nested more than ${limits.maxDepth} levels deep` };
      }
      if (++containers > maxContainers) {
        return { kind: 'count', offset: i, path: path(), message: `more than ${maxContainers} objects and arrays` };
      }
      const isObject = c === 0x7b;
      stack.push({ object: isObject && keysWanted, keys: null, firstAt: -1, at: isObject ? '' : 0 });
      expectKey = isObject;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const level = stack[stack.length - 1];
      if (level === undefined) continue;
      if (++separators + containers >= maxValues) {
        return { kind: 'count', offset: i, path: path(), message: `more than ${maxValues} values` };
      }
      if (typeof level.at === 'number') level.at++;
      else expectKey = true;
    }
  }
  return undefined;
}

export interface ValueLimits {
  maxDepth: number;
  maxString: number;
}

export interface ValueProblem {
  path: (string | number)[];
  message: string;
}

/** A number that cannot be what its source said: not finite, or a whole number beyond ±(2^53 − 1). */
export function numberProblem(v: number): string | undefined {
  if (!Number.isFinite(v)) return `${String(v)} is not a finite number (a number too large for a double, 1e400 say, reads as Infinity)`;
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
    return `a whole number beyond ±9007199254740991 (2^53 − 1) cannot be kept exactly (it reads as ${BigInt(v).toString()}): write it as a string`;
  }
  return undefined;
}

/**
 * The first problem of a parsed value (JSON or YAML): nesting deeper than allowed, a string longer than allowed,
 * a number that is not what it says. Iterative; visits each member once.
 */
export function valueProblem(root: unknown, limits: ValueLimits): ValueProblem | undefined {
  interface Frame {
    value: object;
    path: (string | number)[];
  }
  const check = (v: unknown, path: () => (string | number)[]): ValueProblem | undefined => {
    if (typeof v === 'string')
      return v.length > limits.maxString ? { path: path(), message: `a string of ${v.length} characters: the limit is ${limits.maxString}` } : undefined;
    if (typeof v === 'number') {
      const m = numberProblem(v);
      return m ? { path: path(), message: m } : undefined;
    }
    return undefined;
  };
  const top = check(root, () => []);
  if (top || root === null || typeof root !== 'object') return top;
  const stack: Frame[] = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    const visit = (key: string | number, v: unknown): ValueProblem | undefined => {
      if (v !== null && typeof v === 'object') {
        if (path.length + 1 >= limits.maxDepth) return { path: [...path, key], message: `nested more than ${limits.maxDepth} levels deep` };
        stack.push({ value: v, path: [...path, key] });
        return undefined;
      }
      return check(v, () => [...path, key]);
    };
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = visit(i, value[i]);
        if (p) return p;
      }
    } else {
      for (const k of Object.keys(value)) {
        if (k.length > limits.maxString) return { path, message: `a key of ${k.length} characters: the limit is ${limits.maxString}` };
        const p = visit(k, (value as Record<string, unknown>)[k]);
        if (p) return p;
      }
    }
  }
  return undefined;
}
