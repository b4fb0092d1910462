// The checks JSON.parse does not make, against references: random JSON texts with and without a key written twice
// (escaped spellings, colons and quotes inside strings, any whitespace), through checkedParse and through the streaming
// splitter cut at every position; the depth limit at its edge; and exact integers against BigInt.
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/model/errors.js';
import { checkedParse, findDuplicateKey, parseExact } from '../../src/ingest/readers/json-checks.js';
import { JsonSplitter } from '../../src/ingest/readers/json-stream.js';
import { readLimits } from '../../src/ingest/readers/limits.js';
import { rng } from '../helpers/graphs.js';

const limits = readLimits();

/** A random JSON text of an object; with `dup`, one object in it has a key written twice (maybe spelled differently). */
function randomText(rand: () => number, dup: boolean): { text: string; key?: string } {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const ws = () => pick(['', '', ' ', '\n', ' \t ', '\r\n  ']);
  // String contents as JSON text: colons, escaped quotes before colons, backslashes.
  const str = () => pick(['a', 'b', 'site:x', '\\" :', '\\":', ' :', 'é', '\\u0041', 'x\\\\', '{\\"k\\":1}', '', 'a:b:c']);
  const keys = ['a', 'b', 'c', 'type', 'id', ':', '\\"'];
  let dupAt = dup ? 0 : -1;
  let objects = 0;
  let dupKey: string | undefined;
  const value = (depth: number, object = false): string => {
    const r = object ? 1 : rand();
    if (depth > 3 || r < 0.35) return pick([`"${str()}"`, '1', '-2.5e3', 'true', 'null', '18446744073709551615']);
    if (r < 0.5) return `[${ws()}${Array.from({ length: Math.floor(rand() * 3) }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
    const n = 1 + Math.floor(rand() * 3);
    const used = keys
      .slice()
      .sort(() => rand() - 0.5)
      .slice(0, n);
    const members = used.map((k) => `"${k}"${ws()}:${ws()}${value(depth + 1)}`);
    if (objects++ === dupAt || (dup && dupKey === undefined && rand() < 0.3)) {
      const k = used[0];
      dupKey = JSON.parse(`"${k}"`) as string;
      dupAt = -2;
      // The same key, maybe spelled with a \u escape (its value is generated after: it holds no other duplicate).
      const spelled = k === 'a' && rand() < 0.5 ? '\\u0061' : k;
      members.splice(Math.floor(rand() * (members.length + 1)), 0, `"${spelled}"${ws()}:${ws()}${value(depth + 1)}`);
    }
    return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
  };
  return { text: value(0, true), key: dupKey };
}

function splitAll(text: string, cut: number): unknown[] {
  const got: unknown[] = [];
  const s = new JsonSplitter('t.json', (_k, v) => void got.push(v));
  const doc = `[\n${text}\n]`;
  s.push(doc.slice(0, cut));
  s.push(doc.slice(cut));
  s.end();
  return got;
}

describe('duplicate keys', () => {
  test('random texts: refused exactly when a key is written twice, on both paths, wherever a chunk ends', () => {
    const rand = rng(7);
    let refusedCount = 0;
    for (let k = 0; k < 600; k++) {
      const { text, key } = randomText(rand, k % 2 === 1);
      const err = (f: () => unknown) => {
        try {
          f();
          return undefined;
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          return (e as InputError).problems[0].message;
        }
      };
      const a = err(() => checkedParse(text, 'f', 1, limits, false));
      if (key === undefined) expect(a).toBeUndefined();
      else {
        expect(a?.replace(/ \(.*$/s, '')).toBe(`duplicate key ${JSON.stringify(key)}`);
        refusedCount++;
      }
      for (const cut of [0, 1, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length]) {
        expect(err(() => splitAll(text, cut))?.replace(/ \(.*$/s, '')).toBe(a?.replace(/ \(.*$/s, ''));
      }
    }
    expect(refusedCount).toBe(300);
  });

  test('the place of a duplicate: the path and both offsets', () => {
    const text = '{"a": [1, {"b": {"c": 1, "c": 2}}], "d": 0}';
    expect(findDuplicateKey(text)).toEqual({ key: 'c', path: ['a', 1, 'b', 'c'], first: text.indexOf('"c"'), second: text.lastIndexOf('"c"') });
    expect(findDuplicateKey('{"a": "\\"a\\":", "b": {"a": 1}}')).toBeUndefined();
  });
});

describe('depth', () => {
  const nested = (n: number) => '{"x":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
  test('100 levels are read, 101 are refused, on both paths', () => {
    expect(() => checkedParse(nested(100), 'f', 1, limits, false)).not.toThrow();
    expect(() => checkedParse(nested(101), 'f', 1, limits, false)).toThrow('objects and arrays nested more than 100 deep');
    expect(splitAll(nested(100), 5)).toHaveLength(1);
    expect(() => splitAll(nested(101), 5)).toThrow('objects and arrays nested more than 100 deep');
  });
});

describe('exact integers', () => {
  test('integer literals beyond ±2^53 become BigInts of their digits; others are numbers as JSON.parse reads them', () => {
    const rand = rng(3);
    for (let k = 0; k < 500; k++) {
      const digits = String(1 + Math.floor(rand() * 9)) + Array.from({ length: Math.floor(rand() * 24) }, () => Math.floor(rand() * 10)).join('');
      const sign = rand() < 0.3 ? '-' : '';
      const frac = rand() < 0.2 ? '.5' : rand() < 0.1 ? 'e2' : '';
      const literal = `${sign}${digits}${frac}`;
      const text = `{"s": "${literal}", "n": ${literal}, "l": [${literal}, "x:${literal}\\"", {"m": ${literal}}]}`;
      const v = parseExact(text) as { s: string; n: unknown; l: [unknown, string, { m: unknown }] };
      const exact = frac === '' && !Number.isSafeInteger(Number(literal));
      const want = exact ? BigInt(literal) : JSON.parse(literal);
      expect(v).toEqual({ s: literal, n: want, l: [want, `x:${literal}"`, { m: want }] });
    }
  });
  test('checkedParse says when it returned BigInts, and reads exactly only when asked', () => {
    const text = '{"id": 111677749041879313}';
    expect(checkedParse(text, 'f', 1, limits, false)).toEqual({ id: 111677749041879310 });
    expect(checkedParse(text, 'f', 1, limits, true)).toEqual({ id: 111677749041879313n });
  });
});
