// Reports as pieces: the streamed JSON is byte for byte JSON.stringify's text, and long chains are elided by count.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CHAIN_ENDS, elideChain, jsonPieces, joinPieces } from '../../src/report/pieces.js';
import { buildSnapshot } from '../../src/ingest/snapshot.js';
import { plan } from '../../src/engine/plan.js';
import { SAMPLE } from '../helpers/cli.js';

/** A deterministic pseudo-random JSON-like value with every kind JSON.stringify treats specially. */
function randomValue(seed: number, depth = 0): unknown {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x);
  let budget = 3000; // values in all: large enough for runs past 256 entries, small enough to be quick
  const make = (d: number): unknown => {
    const r = next() % (d > 5 || --budget < 0 ? 6 : 10);
    switch (r) {
      case 0:
        return null;
      case 1:
        return next() % 2 === 0;
      case 2:
        return (next() % 2000) - 1000 + (next() % 3 === 0 ? 0.5 : 0);
      case 3:
        return ['', 'a', 'quote " back\\ nl\n', '\u2028\u0000', 'ünï', '😀'][next() % 6];
      case 4:
        return next() % 3 === 0 ? undefined : Number.NaN;
      case 5:
        return () => 1;
      case 6:
      case 7:
        return Array.from({ length: next() % (next() % 5 === 0 ? 700 : 6) }, () => make(d + 1));
      default: {
        const o: Record<string, unknown> = {};
        const n = next() % (next() % 7 === 0 ? 300 : 5);
        for (let i = 0; i < n; i++) o[['id', 'name', '__proto__x', 'a b', `k${i}`, '"q"'][next() % 6] + i] = make(d + 1);
        if (next() % 9 === 0) o.when = new Date(0);
        return o;
      }
    }
  };
  return make(depth);
}

describe('jsonPieces', () => {
  test('joins to exactly JSON.stringify(value, null, indent) on random values, indent 2, 1 and 0 (compact)', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const v = randomValue(seed);
      for (const indent of [2, 1, 0]) expect(joinPieces(jsonPieces(v, indent))).toBe(JSON.stringify(v, null, indent) ?? '');
    }
  });
  test('the same text as JSON.stringify for a real plan result, in pieces of bounded size', () => {
    const graph = buildSnapshot(JSON.parse(readFileSync(SAMPLE, 'utf8')), SAMPLE);
    const result = plan(graph, ['site:acme-prod', 'site:globex'], {});
    const pieces = [...jsonPieces(result)];
    expect(pieces.join('')).toBe(JSON.stringify(result, null, 2));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200_000);
  });
  test('a value nested 100,000 deep is written without overflowing the stack', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = i % 2 ? [v, 1] : { x: v, y: 1 };
    let chars = 0;
    for (const p of jsonPieces(v)) chars += p.length;
    expect(chars).toBeGreaterThan(100_000 * 4);
  });
});

describe('elideChain', () => {
  test('a short chain is whole; a long one keeps its ends around the count of the rest', () => {
    expect(elideChain([1, 2, 3])).toEqual([1, 2, 3]);
    const long = Array.from({ length: 100_000 }, (_, i) => i);
    const shown = elideChain(long);
    expect(shown).toHaveLength(2 * CHAIN_ENDS + 1);
    expect(shown[CHAIN_ENDS]).toEqual({ elided: 99_990 });
    expect(shown.slice(-CHAIN_ENDS)).toEqual([99_995, 99_996, 99_997, 99_998, 99_999]);
    expect(elideChain(long, true)).toHaveLength(100_000);
  });
});
