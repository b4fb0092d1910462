// Reports as pieces of text: a reporter may return an iterable of strings (a generator is still a pure function) that
// the CLI writes as it goes, so no output has to fit V8's ~512 MB string limit, and long chains shown with their
// middle elided. Nothing here does I/O.

/** Text as pieces; joined, they are the report. */
export type Pieces = Iterable<string>;

/** The whole text (for callers that want a string, and outputs known to be small). */
export function joinPieces(pieces: Pieces): string {
  let s = '';
  for (const p of pieces) s += p;
  return s;
}

/** Each piece through `f` (a text-to-text escape that works on any cut of the text, as jsonInvisible does). */
export function* mapPieces(pieces: Pieces, f: (s: string) => string): Generator<string> {
  for (const p of pieces) yield f(p);
}

/** Lines as pieces, each followed by a newline: the same text as `lines.join('\n') + '\n'`. */
export function* linePieces(lines: Iterable<string>): Generator<string> {
  for (const l of lines) yield `${l}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Chains: a chain of 100,000 links is shown by its ends unless --full.

/**
 * Chains longer than CHAIN_LIMIT are shown as their first and last CHAIN_ENDS links and a count of the rest: the same
 * numbers the engine elides a violation's chain by (result.chainLength), so the reports show what the result holds.
 */
export { CHAIN_ENDS, CHAIN_LIMIT } from '../engine/toolkit/chain.js';
import { CHAIN_ENDS, CHAIN_LIMIT } from '../engine/toolkit/chain.js';
/** Past this depth an indented chain or tree stops indenting further (else 100,000 links take 10 GB of spaces). */
export const INDENT_LIMIT = 40;

/** A run of links left out of a chain. */
export interface Elided {
  elided: number;
}

export function isElided(x: unknown): x is Elided {
  return typeof x === 'object' && x !== null && typeof (x as Elided).elided === 'number';
}

/**
 * The chain as shown: all of it with `full` or when short, else its ends around the count of what is left out.
 * `length` is the whole chain's when `chain` is already elided (a violation's `chainLength`): the links left out come
 * after its first CHAIN_ENDS, and are counted even with `full` (the caller rebuilds the whole chain when it can).
 */
export function elideChain<T>(chain: readonly T[], full = false, length = chain.length): (T | Elided)[] {
  if (length > chain.length) return [...chain.slice(0, CHAIN_ENDS), { elided: length - chain.length }, ...chain.slice(CHAIN_ENDS)];
  if (full || chain.length <= CHAIN_LIMIT) return [...chain];
  return [...chain.slice(0, CHAIN_ENDS), { elided: chain.length - 2 * CHAIN_ENDS }, ...chain.slice(chain.length - CHAIN_ENDS)];
}

/** "99,990 more links" */
export function elidedText(e: Elided): string {
  return `… ${e.elided.toLocaleString('en-US')} more link${e.elided === 1 ? '' : 's'} …`;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON as pieces: exactly the text of JSON.stringify(value, null, indent), produced a piece at a time. Parts that are
// small (measured by a bounded walk) go through JSON.stringify itself, runs of array elements at once (speed);
// larger ones are opened with an explicit stack (no recursion: any depth).

/** About how many characters one JSON.stringify call may produce. */
const RUN_CHARS = 1 << 16;
/** Parts nested deeper than this are opened rather than measured (the measuring walk recurses). */
const RUN_DEPTH = 64;
const PIECE = 1 << 16;

/** After toJSON (as JSON.stringify applies it). */
function jsonValue(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    return (v as { toJSON: (k: string) => unknown }).toJSON(key);
  return v;
}

/** Left out of an object by JSON.stringify (written as null in an array). */
function isOmitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/**
 * What is left of `budget` (about the characters of the compact JSON) after `v`, or -1 when `v` does not fit or
 * is too deep or has a toJSON (left to the stack, which calls it with the right key).
 */
function fits(v: unknown, budget: number, depth: number): number {
  if (v === null || typeof v !== 'object') return budget - (typeof v === 'string' ? v.length + 2 : 8);
  if (depth > RUN_DEPTH || typeof (v as { toJSON?: unknown }).toJSON === 'function') return -1;
  budget -= 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && budget >= 0; i++) budget = fits(v[i], budget - 1, depth + 1);
    return budget;
  }
  for (const k of Object.keys(v)) {
    budget = fits((v as Record<string, unknown>)[k], budget - k.length - 4, depth + 1);
    if (budget < 0) return -1;
  }
  return budget;
}

interface Frame {
  array?: unknown[];
  object?: Record<string, unknown>;
  keys?: string[];
  i: number;
  depth: number;
  written: number;
}

export function* jsonPieces(value: unknown, indent = 2): Generator<string> {
  // indent 0 is JSON.stringify's compact form: no newline between entries, no space after a colon.
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  const cut = indent > 0 ? 2 : 1;
  const pads: string[] = [];
  const pad = (d: number) => (pads[d] ??= ' '.repeat(indent * d));
  // Text of a JSON.stringify result placed at `depth`: its own lines shifted right (strings hold no raw newline).
  const placed = (text: string, depth: number) => (depth === 0 || !text.includes('\n') ? text : text.replace(/\n/g, `\n${pad(depth)}`));
  const stack: Frame[] = [];
  let out = '';
  // Writes a value at `depth`: its text, or an opening bracket and a frame for its entries.
  const put = (v: unknown, depth: number) => {
    if (v === null || typeof v !== 'object') out += JSON.stringify(v) ?? 'null';
    else if (fits(v, RUN_CHARS, 0) >= 0) out += placed(JSON.stringify(v, null, indent), depth);
    else if (Array.isArray(v)) {
      out += '[';
      stack.push({ array: v, i: 0, depth, written: 0 });
    } else {
      out += '{';
      stack.push({ object: v as Record<string, unknown>, keys: Object.keys(v), i: 0, depth, written: 0 });
    }
  };
  const top = jsonValue(value, '');
  if (isOmitted(top)) return;
  put(top, 0);
  while (stack.length) {
    const f = stack[stack.length - 1];
    const inner = f.depth + 1;
    if (f.array) {
      const a = f.array;
      let end = f.i;
      for (let budget = RUN_CHARS; end < a.length && (budget = fits(a[end], budget - 1, 0)) >= 0;) end++;
      if (end > f.i) {
        // A run of elements that fit: one JSON.stringify of the slice, its brackets cut off.
        const text = JSON.stringify(a.slice(f.i, end), null, indent);
        out += `${f.written ? ',' : ''}${nl}${pad(f.depth)}${placed(text.slice(cut, -cut), f.depth)}`;
        f.written += end - f.i;
        f.i = end;
      } else if (f.i < a.length) {
        const v = jsonValue(a[f.i], String(f.i));
        f.i++;
        out += `${f.written++ ? ',' : ''}${nl}${pad(inner)}`;
        if (isOmitted(v)) out += 'null';
        else put(v, inner);
      } else {
        stack.pop();
        out += f.written ? `${nl}${pad(f.depth)}]` : ']';
      }
    } else {
      const keys = f.keys!;
      if (f.i >= keys.length) {
        stack.pop();
        out += f.written ? `${nl}${pad(f.depth)}}` : '}';
      } else {
        const k = keys[f.i++];
        const v = jsonValue(f.object![k], k);
        if (!isOmitted(v)) {
          out += `${f.written++ ? ',' : ''}${nl}${pad(inner)}${JSON.stringify(k)}${colon}`;
          put(v, inner);
        }
      }
    }
    if (out.length >= PIECE) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

/** `jsonPieces` followed by a newline, as the JSON reports end. */
export function* jsonLinePieces(value: unknown, indent = 2): Generator<string> {
  yield* jsonPieces(value, indent);
  yield '\n';
}
