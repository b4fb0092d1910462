// forEachLineBytes must see exactly the lines forEachLine sees (numbers, blanks, CRLF, BOM), however the input is cut.
import { Readable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { forEachLine, forEachLineBytes } from '../../src/ingest/readers/lines.js';
import { rng } from '../helpers/graphs.js';

const chunked = (bytes: Buffer, cuts: number[]) => {
  const parts: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    parts.push(bytes.subarray(at, Math.max(at, c)));
    at = Math.max(at, c);
  }
  return Readable.from(
    parts.filter((p) => p.length),
    { objectMode: true },
  );
};

// The reference is forEachLine on the whole text in one chunk.
async function both(text: string, cuts: number[]) {
  const bytes = Buffer.from(text, 'utf8');
  const a: [number, string][] = [];
  const b: [number, string][] = [];
  const sa = await forEachLine(chunked(bytes, []), (line, no) => void a.push([no, line]));
  const sb = await forEachLineBytes(chunked(bytes, cuts), (buf, s, e, no) => void b.push([no, buf.toString('utf8', s, e)]));
  return { a, b, sa, sb };
}

describe('forEachLineBytes = forEachLine', () => {
  const texts = [
    '\ufeff{"schema":{}}\n{"id":"a","type":"t"}\r\n\n  \n{"id":"zoë","type":"t"}\n\u00a0\n{"from":"a","type":"R","to":"b"}',
    'one\ntwo\n',
    '\ufeff',
    '',
    '\n\n\n',
    'no newline at the end',
    'x\r\ny\r\n\r\n\u3000\nz',
  ];
  test.each(texts.map((t, i) => [i, t]))('text %i, cut everywhere', async (_i, text) => {
    const bytes = Buffer.from(text as string, 'utf8').length;
    for (let c = 0; c <= bytes; c++) {
      const { a, b, sa, sb } = await both(text as string, [c]);
      expect({ c, b, sb }).toEqual({ c, b: a, sb: sa });
    }
  });
  test('random cuts of a long text', async () => {
    const rand = rng(11);
    const lines = Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? '' : i % 13 === 0 ? ' \t' : `{"id":"e${i}","name":"${'é'.repeat(i % 5)}"}`));
    const text = `\ufeff${lines.join(rand() < 0.5 ? '\n' : '\r\n')}`;
    const n = Buffer.byteLength(text);
    for (let k = 0; k < 20; k++) {
      const cuts = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => Math.floor(rand() * n)).sort((x, y) => x - y);
      const { a, b, sa, sb } = await both(text, cuts);
      expect({ b, sb }).toEqual({ b: a, sb: sa });
    }
  });
});

describe('the longest line', () => {
  // Lines of exactly 10 bytes pass (a CRLF's \r is not part of the line); line 4 has 11 and fails, however it is cut.
  const text = '\ufeff0123456789\r\n\n0123456789\n01234567890\nnot read\n';
  const bytes = Buffer.from(text, 'utf8');
  const err = async (f: () => Promise<unknown>) => {
    try {
      await f();
      return undefined;
    } catch (e) {
      return (e as { problems?: { file: string; line: number }[] }).problems?.[0];
    }
  };
  test('refused with its line by both readers, wherever the chunks end, before the rest is read', async () => {
    for (let c = 0; c <= bytes.length; c++) {
      const seen: number[] = [];
      const b = await err(() => forEachLineBytes(chunked(bytes, [c, c + 7]), (_b, _s, _e, no) => void seen.push(no), { file: 'x.ndjson', maxLine: 10 }));
      expect({ c, b, seen }).toEqual({ c, b: { file: 'x.ndjson', line: 4, message: expect.stringMatching(/^the line is longer than/) }, seen: [1, 3] });
      const a = await err(() => forEachLine(chunked(bytes, [c, c + 7]), () => undefined, { file: 'x.ndjson', maxLine: 10 }));
      expect({ c, a }).toEqual({ c, a: { file: 'x.ndjson', line: 4, message: expect.stringMatching(/^the line is longer than/) } });
    }
    // The last line, without a newline.
    expect(await err(() => forEachLineBytes(chunked(Buffer.from('a\n0123456789x'), [5]), () => undefined, { file: 'y', maxLine: 10 }))).toMatchObject({
      line: 2,
    });
    expect(await err(() => forEachLineBytes(chunked(Buffer.from('a\n0123456789\r'), [5]), () => undefined, { file: 'y', maxLine: 10 }))).toBeUndefined();
  });
});
