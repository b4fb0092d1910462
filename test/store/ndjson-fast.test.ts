// The byte-level fast path for NDJSON records must give exactly the graph that JSON.parse + the object API gives,
// and must decline (changing nothing) every line it cannot take exactly.
import { describe, expect, test } from '@jest/globals';
import {
  addRecordFast,
  addScannedRecord,
  DECLINED,
  newTypeCodes,
  RELATION_ADDED,
  SCAN_STRIDE,
  scanChunkStart,
  scanRecord,
} from '../../src/ingest/ndjson-fast.js';
import { GraphBuilder } from '../../src/store/compact.js';
import { normalizeSchema } from '../../src/ingest/snapshot.js';
import { TENANT_SCHEMA, tenantBatches } from '../../src/generate/tenant.js';
import type { Schema } from '../../src/model/types.js';
import type { CompactGraph } from '../../src/store/compact.js';
import { rng } from '../helpers/graphs.js';

const schema: Schema = normalizeSchema({ boundary: 'site', relations: { OWNS: { onDelete: 'cascade' }, LINKS: { onDelete: 'detach' } } });

/** Both ways: every line through the fast path (falling back to JSON.parse), and every line through JSON.parse. */
function both(lines: string[], s: Schema = schema): { fast: CompactGraph; slow: CompactGraph; declined: number } {
  const fastB = new GraphBuilder(s);
  const slowB = new GraphBuilder(s);
  let declined = 0;
  lines.forEach((line, i) => {
    const buf = Buffer.from(`##${line}##`, 'utf8');
    if (addRecordFast(fastB, buf, 2, buf.length - 2, i + 1) === DECLINED) {
      declined++;
      apply(fastB, line, i + 1);
    }
    apply(slowB, line, i + 1);
  });
  return { fast: fastB.build(), slow: slowB.build(), declined };
}

function apply(b: GraphBuilder, line: string, tag: number): void {
  const r = JSON.parse(line);
  if (r.from !== undefined) b.addRelation(r.from, r.type, r.to, tag);
  else b.addEntity(r);
}

const dump = (g: CompactGraph) => ({ entities: [...g.entities()], relations: [...g.relations()] });

describe('fast path = JSON.parse path', () => {
  test('on a generated tenant, with no line declined', () => {
    const lines: string[] = [];
    for (const part of ['entities', 'relations'] as const)
      for (const batch of tenantBatches({ sites: 3, seed: 5, scale: 0.2 }, part)) for (const r of batch) lines.push(JSON.stringify(r));
    const { fast, slow, declined } = both(lines, TENANT_SCHEMA);
    expect(declined).toBe(0);
    expect(dump(fast)).toEqual(dump(slow));
  });

  test('on odd but valid lines: key order, spaces, escapes, Unicode, attributes, hostile IDs', () => {
    const lines = [
      '{"type":"site","id":"s1"}',
      '  { "id" : "s2" , "type" : "site" , "name" : "Second" }  ',
      '{"id":"s3","type":"site","protected":true,"attributes":{"region":"eu","n":-1.5e3,"ok":false,"x":null}}',
      '{"id":"s4","type":"site","protected":false,"attributes":{}}',
      '{"id":"u\\"q","type":"user","name":"with \\"quotes\\""}',
      '{"id":"zoë","type":"user","name":"Zoë"}',
      '{"id":"__proto__","type":"user","name":"<script>alert(1)</script>"}',
      '{"id":"constructor","type":"MATCH (n) DETACH DELETE n"}',
      '{"id":"p1","type":"page","attributes":{"nested":{"a":[1,2]}}}',
      '{"id":"p2","type":"page","name":""}',
      '{"id":"p3","type":"page","attributes":{"a":1,"a":2}}',
      '{"from":"p1","type":"OWNS","to":"s1"}',
      '{"to":"s2","from":"__proto__","type":"OWNS"}',
      '{"from":"zoë","type":"LINKS","to":"s3"}',
      '{"from":"u\\"q","type":"OWNS","to":"constructor"}',
      '{"from":"p2","type":"OWNS","to":"s4"}',
      '{"from":"p2","type":"OWNS","to":"s4"}',
      '{"id":"s1","type":"site","name":"duplicate: the first definition stays"}',
    ];
    const { fast, slow, declined } = both(lines);
    expect(dump(fast)).toEqual(dump(slow));
    // Escapes and non-ASCII (5 lines), nested attributes, an empty name, a repeated attribute key and the duplicate ID
    // go the general way (which refuses a repeated key: test/hostile/streams.test.ts).
    expect(declined).toBe(8);
    expect(fast.attributesOf(fast.indexOf('p3'))).toEqual({ a: 2 });
    expect(fast.attributesOf(fast.indexOf('s3'))).toEqual({ region: 'eu', n: -1500, ok: false, x: null });
    expect(fast.attributesOf(fast.indexOf('s4'))).toBeUndefined();
    expect(fast.isProtected(fast.indexOf('s3'))).toBe(true);
    expect(fast.nameOf(fast.indexOf('s1'))).toBeUndefined();
    expect(fast.nameOf(fast.indexOf('p2'))).toBe('');
  });
});

describe('declines, changing nothing', () => {
  const declines = [
    '',
    'not json',
    '[1,2]',
    '{}',
    '{"id":"x"}',
    '{"id":"","type":"site"}',
    '{"id":1,"type":"site"}',
    '{"id":"x","type":"site","extra":1}',
    '{"id":"x","type":"site","protected":"yes"}',
    '{"id":"x","type":"site","attributes":[1]}',
    '{"id":"x","type":"site","attributes":{"a":01}}',
    '{"id":"x","type":"site","attributes":{"a":1.}}',
    '{"id":"x","type":"site","attributes":{"a":tru}}',
    '{"id":"x","type":"site"} trailing',
    '{"id":"x","type":"site",}',
    '{"id":"x" "type":"site"}',
    '{"id":"x","id":"y","type":"site"}',
    '{"id":"x","type":"site","from":"a"}',
    '{"from":"a","type":"OWNS"}',
    '{"from":"a","type":"UNKNOWN","to":"b"}',
    '{"from":"a","type":"OWNS","to":"b","id":"c"}',
    '{"id":"tab\there","type":"site"}',
    '{"id":"x","type":"site"',
    // A key twice in the attributes (the general path refuses it), or more attribute keys than the scanner compares.
    '{"id":"x","type":"site","attributes":{"a":1,"b":2,"a":3}}',
    '{"id":"x","type":"site","attributes":{"ab":1,"b":2,"ab":"x"}}',
    `{"id":"x","type":"site","attributes":{${Array.from({ length: 17 }, (_, i) => `"k${i}":${i}`).join(',')}}}`,
  ];
  test.each(declines)('%s', (line) => {
    const b = new GraphBuilder(schema);
    b.addEntity({ id: 'existing', type: 'site' });
    const buf = Buffer.from(line, 'utf8');
    expect(addRecordFast(b, buf, 0, buf.length)).toBe(DECLINED);
    expect([b.entityCount, b.relationCount]).toEqual([1, 0]);
    const g = b.build();
    expect(g.size).toBe(1);
  });

  test('an entity type not in schema.types', () => {
    const typed = normalizeSchema({ relations: {}, types: { site: {} } });
    const b = new GraphBuilder(typed);
    const ok = Buffer.from('{"id":"a","type":"site"}');
    const bad = Buffer.from('{"id":"b","type":"planet"}');
    expect(addRecordFast(b, ok, 0, ok.length)).toBe(0); // the new entity's index
    expect(addRecordFast(b, bad, 0, bad.length)).toBe(DECLINED);
    expect(b.entityCount).toBe(1);
  });

  test('a relation to an entity never defined is kept for the dangling report, with its tag', () => {
    const b = new GraphBuilder(schema);
    const line = Buffer.from('{"from":"ghost","type":"OWNS","to":"nowhere"}');
    expect(addRecordFast(b, line, 0, line.length, 17)).toBe(RELATION_ADDED);
    expect(b.dangling().items).toEqual([{ ordinal: 0, tag: 17, from: 'ghost', type: 'OWNS', to: 'nowhere', missing: 'both' }]);
  });
});

describe('split in two for the reader thread (scanRecord, then addScannedRecord) = addRecordFast', () => {
  /**
   * Lines through addRecordFast on one builder, and through scanRecord (in chunks of random sizes, as the reader
   * thread cuts them) then addScannedRecord on another; declined lines take JSON.parse on both. Every answer and the
   * graphs must be the same.
   */
  function split(lines: string[], s: Schema, seed: number): void {
    const a = new GraphBuilder(s);
    const b = new GraphBuilder(s);
    const rand = rng(seed);
    const typeCodes = newTypeCodes();
    let i = 0;
    while (i < lines.length) {
      const n = 1 + Math.floor(rand() * 40);
      const chunk = lines.slice(i, i + n);
      const buf = Buffer.from(chunk.map((l) => `${l}\n`).join(''), 'utf8');
      const rows = new Int32Array(chunk.length * SCAN_STRIDE);
      scanChunkStart();
      for (let k = 0, at = 0; k < chunk.length; k++) {
        const len = Buffer.byteLength(chunk[k]);
        scanRecord(buf, at, at + len, rows, k * SCAN_STRIDE);
        at += len + 1;
      }
      for (let k = 0, at = 0; k < chunk.length; k++) {
        const len = Buffer.byteLength(chunk[k]);
        const tag = i + k + 1;
        const ra = addRecordFast(a, buf, at, at + len, tag);
        const rb = addScannedRecord(b, buf, rows, k * SCAN_STRIDE, typeCodes, tag);
        expect([tag, rb]).toEqual([tag, ra]);
        if (ra === DECLINED) {
          apply(a, chunk[k], tag);
          apply(b, chunk[k], tag);
        }
        at += len + 1;
      }
      i += n;
    }
    expect(dump(b.build())).toEqual(dump(a.build()));
    expect(b.dangling()).toEqual(a.dangling());
  }

  test('on a generated tenant', () => {
    const lines: string[] = [];
    for (const part of ['entities', 'relations'] as const)
      for (const batch of tenantBatches({ sites: 3, seed: 9, scale: 0.2 }, part)) for (const r of batch) lines.push(JSON.stringify(r));
    split(lines, TENANT_SCHEMA, 1);
  });

  test('on runs of one `from` and `to`, cut by declined lines, unknown relation types and other types', () => {
    const lines: string[] = [];
    const rand = rng(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    for (let k = 0; k < 3000; k++) {
      const from = pick(['a', 'b', 'b', 'zoë', 'u\\"q', '__proto__']);
      const to = pick(['s1', 's1', 's2', 'constructor', 'ghost']);
      const r = rand();
      if (r < 0.1) lines.push(`{"id":"${from}","type":"${pick(['site', 'user'])}"}`);
      else if (r < 0.15) lines.push(`{"from":"${from}","type":"UNKNOWN","to":"${to}"}`);
      else if (r < 0.2) lines.push('{"id":"x","type":"site","extra":1}');
      else lines.push(JSON.stringify({ from, type: pick(['OWNS', 'OWNS', 'LINKS']), to }));
    }
    for (let seed = 1; seed <= 5; seed++)
      split(
        lines.filter((l) => !l.includes('UNKNOWN') || seed % 2),
        schema,
        seed,
      );
  });

  test('a type keeps its number after the chunk it was first seen in has gone to the main thread', () => {
    const rows = new Int32Array(2 * SCAN_STRIDE);
    const line = '{"from":"a","type":"KEEPS_NUMBER","to":"b"}';
    const first = Buffer.from(new TextEncoder().encode(line).buffer); // its own ArrayBuffer, as a chunk has
    scanChunkStart();
    scanRecord(first, 0, first.length, rows, 0);
    structuredClone(first.buffer, { transfer: [first.buffer] }); // detaches it, as postMessage does
    expect(first.length).toBe(0);
    const next = Buffer.from('{"from":"c","type":"KEEPS_NUMBER","to":"d"}');
    scanChunkStart();
    scanRecord(next, 0, next.length, rows, SCAN_STRIDE);
    expect(rows[12]).toBeGreaterThanOrEqual(0);
    expect(rows[SCAN_STRIDE + 12]).toBe(rows[12]);
  });

  test('with more relation types than the reader numbers (64), some of them unknown', () => {
    const many = normalizeSchema({ relations: Object.fromEntries(Array.from({ length: 100 }, (_, k) => [`R${k}`, { onDelete: 'cascade' }])) });
    const rand = rng(3);
    const lines: string[] = [];
    for (let k = 0; k < 20; k++) lines.push(`{"id":"e${k}","type":"t"}`);
    for (let k = 0; k < 4000; k++) {
      const type = `R${Math.floor(rand() * 130)}`; // R100..R129 are not in the schema
      lines.push(JSON.stringify({ from: `e${Math.floor(k / 50) % 20}`, type, to: `e${Math.floor(rand() * 3)}` }));
    }
    split(lines, many, 4);
  });
});
