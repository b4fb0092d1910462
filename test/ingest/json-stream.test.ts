// The streaming JSON splitter against JSON.parse: random documents, cut into random chunks, give the same elements
// with the lines they start on; any truncation is an error, never a shorter list.
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/model/errors.js';
import { JsonSplitter } from '../../src/ingest/readers/json-stream.js';
import { rng } from '../helpers/graphs.js';

type Got = { key: string | undefined; value: unknown; line: number; whole: boolean }[];

function split(text: string, chunks: number[]): Got {
  const got: Got = [];
  const s = new JsonSplitter('t.json', (key, value, line, _i, whole) => void got.push({ key, value, line, whole }));
  let p = 0;
  for (const n of chunks) {
    s.push(text.slice(p, p + n));
    p += n;
  }
  s.push(text.slice(p));
  s.end();
  return got;
}

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  const str = () => {
    const pieces = ['a', 'é', '"', '\\', '{', '}', '[', ']', ',', ':', '\n', '\t', '\u2028', '😀', ' ', '\\"', 'x'];
    let s = '';
    const n = Math.floor(rand() * 8);
    for (let i = 0; i < n; i++) s += pieces[Math.floor(rand() * pieces.length)];
    return s;
  };
  if (depth > 3 || r < 0.3) {
    const k = Math.floor(rand() * 5);
    return [str(), Math.floor(rand() * 1e6) / 7, true, null, -0.5e-3][k];
  }
  if (r < 0.65) {
    const o: Record<string, unknown> = {};
    const n = Math.floor(rand() * 4);
    for (let i = 0; i < n; i++) o[str()] = randomValue(rand, depth + 1);
    return o;
  }
  return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
}

/** A document and what the splitter must report, with each element's start line. */
function randomDocument(rand: () => number): { text: string; want: Got } {
  const want: Got = [];
  let text = '';
  let line = 1;
  const add = (s: string) => {
    text += s;
    for (const c of s) if (c === '\n') line++;
  };
  const ws = () => add([' ', '', '\n', '\r\n', '\n\n  ', '\t'][Math.floor(rand() * 6)]);
  const elements = (key: string | undefined) => {
    add('[');
    const n = Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) {
      if (i) add(',');
      ws();
      const v = randomValue(rand, 0);
      want.push({ key, value: v, line, whole: false });
      add(JSON.stringify(v, null, rand() < 0.5 ? 2 : undefined));
      ws();
    }
    add(']');
  };
  ws();
  if (rand() < 0.4) elements(undefined);
  else {
    add('{');
    const keys = ['schema', 'entities', 'weird "key"\\', 'relations', 'x'].filter(() => rand() < 0.7);
    keys.forEach((k, i) => {
      if (i) add(',');
      ws();
      add(`${JSON.stringify(k)}:`);
      ws();
      if (rand() < 0.7) elements(k);
      else {
        // A top-level array value is always split into elements; a whole value is anything else.
        let v = randomValue(rand, 1);
        if (Array.isArray(v)) v = { list: v };
        want.push({ key: k, value: v, line, whole: true });
        add(JSON.stringify(v));
      }
      ws();
    });
    add('}');
  }
  ws();
  return { text, want };
}

function chunking(rand: () => number, length: number): number[] {
  const out: number[] = [];
  let left = length;
  while (left > 0) {
    const n = 1 + Math.floor(rand() * (rand() < 0.5 ? 3 : 40));
    out.push(n);
    left -= n;
  }
  return out;
}

describe('JsonSplitter', () => {
  test('random documents in random chunks give JSON.parse’s elements and their lines', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rand = rng(seed);
      const { text, want } = randomDocument(rand);
      expect(() => JSON.parse(text)).not.toThrow();
      const got = split(text, chunking(rand, text.length));
      expect({ seed, got }).toEqual({ seed, got: want });
    }
  });

  test('any truncation is an InputError (or, inside trailing whitespace, the same result)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rand = rng(seed);
      const { text, want } = randomDocument(rand);
      const cut = Math.floor(rand() * text.length);
      const part = text.slice(0, cut);
      let got: Got | undefined;
      let error: unknown;
      try {
        got = split(part, chunking(rand, part.length));
      } catch (err) {
        error = err;
      }
      if (error) expect(error).toBeInstanceOf(InputError);
      else {
        expect(part.trim()).toBe(text.trim());
        expect(got).toEqual(want);
      }
    }
  });

  test('structural mistakes are errors with the line', () => {
    const bad = (text: string) => {
      try {
        split(text, [3, 1, 2]);
      } catch (err) {
        const p = (err as InputError).problems[0];
        return `${p.line}: ${p.message}`;
      }
      return 'no error';
    };
    expect(bad('[1,]')).toBe('1: not valid JSON: unexpected "]"');
    expect(bad('[1 2]')).toMatch(/^1: not valid JSON: /);
    expect(bad('{"a":1,}')).toBe('1: not valid JSON: expected a key in quotes, found "}"');
    expect(bad('{"a" 1}')).toBe('1: not valid JSON: expected ":" after the key "a", found "1"');
    expect(bad('[1]\n[2]')).toBe('2: not valid JSON: unexpected "[" after the end of the JSON value');
    expect(bad('"just a string"')).toBe('1: not valid JSON: expected an array or an object, found "\\""');
    expect(bad('[{"a":\n tru}]')).toMatch(/^[12]: not valid JSON: unexpected token/i);
    expect(bad('  \n ')).toBe('1: file is empty');
  });
});
