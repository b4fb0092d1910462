// The byte store under the compact graph: interning, lookups by string and by bytes, growth, odd IDs.
import { describe, expect, test } from '@jest/globals';
import { encodeScratch, IdTable, scratchBuffer, TextColumn } from '../../src/store/ids.js';

describe('IdTable', () => {
  test('interns strings to dense indices and gives them back, across growth of the table', () => {
    const t = new IdTable();
    const ids = Array.from({ length: 50_000 }, (_, i) => `issue:site-${i % 97}/KEY-${i}`);
    // One expect per list: jest's expect costs more than the lookups.
    expect(ids.map((id) => t.intern(id))).toEqual(ids.map((_, i) => i));
    expect(t.size).toBe(ids.length);
    expect(ids.map((id) => t.indexOf(id))).toEqual(ids.map((_, i) => i));
    expect(ids.map((id) => t.intern(id))).toEqual(ids.map((_, i) => i)); // interning again finds them
    expect(ids.every((id, i) => t.get(i) === id)).toBe(true);
    expect(t.get(12345)).toBe(ids[12345]);
    expect(t.indexOf('issue:site-0/KEY-50000')).toBe(-1);
    expect(t.size).toBe(ids.length);
  });

  test('bytes and strings name the same ID (ASCII and UTF-8)', () => {
    const t = new IdTable();
    for (const id of ['user:zoë@example.com', 'page:東京/計画', 'site:a', '__proto__', 'constructor', '<b>x</b>', 'MATCH (n) DETACH DELETE n', '😀']) {
      const ix = t.intern(id);
      const bytes = Buffer.from(`xx${id}yy`, 'utf8');
      expect(t.internBytes(bytes, 2, bytes.length - 2, false)).toBe(ix);
      expect(t.is(ix, bytes, 2, bytes.length - 2)).toBe(true);
      expect(t.get(ix)).toBe(id);
    }
    // Decoding switches from latin1 to UTF-8 once a non-ASCII ID is stored, for earlier IDs too.
    const u = new IdTable();
    const a = u.intern('plain');
    const b = u.intern('naïve');
    expect([u.get(a), u.get(b)]).toEqual(['plain', 'naïve']);
  });

  test('IDs that differ only late, or are prefixes of each other, stay apart', () => {
    const t = new IdTable();
    const ids = ['a', 'ab', 'abc', 'abd', 'x'.repeat(1000), `${'x'.repeat(999)}y`, ''];
    const ix = ids.map((id) => t.intern(id));
    expect(new Set(ix).size).toBe(ids.length);
    ids.forEach((id, i) => expect(t.get(ix[i])).toBe(id));
  });

  test('an ID longer than 64 KiB, and one larger than a 16 MiB page', () => {
    const t = new IdTable();
    const long = 'L'.repeat(70_000);
    const huge = 'H'.repeat((16 << 20) + 10);
    const a = t.intern(long);
    const b = t.intern(huge);
    const c = t.intern('after');
    expect(t.get(a) === long).toBe(true);
    expect(t.get(b) === huge).toBe(true);
    expect([t.indexOf(long), t.indexOf(huge), t.indexOf('after'), t.get(c)]).toEqual([a, b, c, 'after']);
  });
});

describe('TextColumn and encodeScratch', () => {
  test('optional texts by index', () => {
    const c = new TextColumn();
    c.set(3, 'three');
    c.set(1, 'één');
    expect([c.get(0), c.get(1), c.get(2), c.get(3), c.get(99)]).toEqual([undefined, 'één', undefined, 'three', undefined]);
    expect([c.has(1), c.has(2)]).toEqual([true, false]);
    c.set(5, '');
    expect(c.get(5)).toBe(''); // an empty text is not an absent one
  });
  test('encodes like Buffer, lone surrogates included', () => {
    for (const s of ['abc', 'zoë', '\ud800x', '日本語', 'x'.repeat(5000)]) {
      const n = encodeScratch(s);
      expect(Buffer.from(scratchBuffer().subarray(0, n))).toEqual(Buffer.from(s, 'utf8'));
    }
  });
});
