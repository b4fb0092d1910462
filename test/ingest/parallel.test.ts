// The parallel NDJSON reader (a worker thread scans, the main thread builds) must give what the single-thread reader
// gives: the same snapshot byte for byte, the same messages with the same lines, the same exit code. Jest runs the
// TypeScript sources, where the worker's built module is absent, so both readers run through the real built CLI:
// BLASTGUARD_INGEST_THREADS=1 forces one thread, =2 the reader thread (which fails rather than fall back when it
// cannot start, so a passing comparison did run both).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { hasStack, run, workdir, type Run } from '../helpers/cli.js';
import { hostileSnapshot } from '../helpers/hostile.js';

const normal = (r: Run) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr.replace(/ in \d+\.\d+ s\n/g, ' in T s\n') });

/**
 * Runs `args` with one thread and with the reader thread; expects the same outcome and returns it. With `chunks`,
 * also with the reader thread reading 4,099 bytes at a time, so that chunk ends fall inside lines, CRLFs and IDs.
 */
function both(args: string[], chunks = false): Run {
  const one = run(args, { env: { BLASTGUARD_INGEST_THREADS: '1' } });
  const two = run(args, { env: { BLASTGUARD_INGEST_THREADS: '2' } });
  expect(normal(two)).toEqual(normal(one));
  expect(hasStack(two.stderr)).toBe(false);
  if (chunks) expect(normal(run(args, { env: { BLASTGUARD_INGEST_THREADS: '2', BLASTGUARD_INGEST_CHUNK_BYTES: '4099' } }))).toEqual(normal(one));
  return one;
}

const ingest = (file: string, extra: string[] = [], chunks = false) => both(['ingest', '--graph', file, '--out', '-', ...extra], chunks);

const SCHEMA = {
  boundary: 'site',
  types: undefined as Record<string, object> | undefined,
  relations: { PART_OF: { onDelete: 'cascade' }, LINKS: { onDelete: 'detach' } },
};
const schemaLine = (types?: string[]) => JSON.stringify({ schema: { ...SCHEMA, types: types ? Object.fromEntries(types.map((t) => [t, {}])) : undefined } });
const lines = (...ls: string[]) => ls.join('\n') + '\n';

describe('the reader thread gives the single-thread result', () => {
  test('generated tenants, plain and gzip, several chunks long', () => {
    const dir = workdir();
    const file = join(dir, 't.ndjson');
    expect(run(['generate', '--sites', '12', '--seed', '7', '--out', file]).code).toBe(0);
    expect(readFileSync(file).length).toBeGreaterThan(3 << 20); // more than three 1 MiB chunks
    const r = ingest(file, [], true);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as { entities: unknown[]; relations: unknown[] };
    expect(snap.entities.length).toBeGreaterThan(9000);
    expect(snap.relations.length).toBeGreaterThan(25000);
    writeFileSync(join(dir, 't.ndjson.gz'), gzipSync(readFileSync(file)));
    expect(ingest(join(dir, 't.ndjson.gz')).stdout).toBe(r.stdout);
    // Line numbers across chunk ends: problems spread through the file, named by their lines.
    const text = readFileSync(file, 'utf8').split('\n');
    for (let k = 1000; k < text.length; k += 1500) text[k] = text[k].replace('{', '{"oops":1,');
    writeFileSync(join(dir, 'bad.ndjson'), text.join('\n'));
    const bad = ingest(join(dir, 'bad.ndjson'), [], true);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.ndjson:1001: oops: unknown field "oops"\n/);
    // The NDJSON written from it reads back the same on both paths.
    expect(run(['ingest', '--graph', file, '--out', join(dir, 'again.ndjson')]).code).toBe(0);
    expect(ingest(join(dir, 'again.ndjson')).stdout).toBe(r.stdout);
  });

  test('records the scanner declines are mixed in, in order: escapes, non-ASCII, nested attributes, key order', () => {
    const dir = workdir();
    const recs: string[] = [schemaLine()];
    for (let i = 0; i < 30000; i++) {
      const k = i % 7;
      if (k === 0) recs.push(JSON.stringify({ id: `site:${i}`, type: 'site', name: `Site ${i}` }));
      else if (k === 1) recs.push(`{"type":"page","id":"p\\u00e9${i}","name":"Zoë ${i}","attributes":{"deep":{"x":[1,2]}}}`);
      else if (k === 2) recs.push(`{ "id" : "p${i}" , "type":"page", "protected": true, "attributes": {"a": 1.5e3, "b": null, "c": "x"} }`);
      else if (k === 3) recs.push(JSON.stringify({ from: `p${i - 1}`, type: 'PART_OF', to: `site:${i - 3}` }));
      else if (k === 4) recs.push(`{"to":"site:${i - 4}","from":"p\\u00e9${i - 3}","type":"PART_OF"}`);
      else if (k === 5) recs.push(JSON.stringify({ from: `p${i - 3}`, type: 'LINKS', to: `site:${i - 5}` }));
      else recs.push(JSON.stringify({ from: `p${i - 4}`, type: 'LINKS', to: `site:${i - 6}` }));
    }
    writeFileSync(join(dir, 'mixed.ndjson'), lines(...recs));
    const r = ingest(join(dir, 'mixed.ndjson'), [], true);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as { entities: unknown[]; relations: unknown[] };
    expect(snap.entities).toHaveLength(recs.filter((l) => l.includes('"id"')).length);
    expect(snap.relations).toHaveLength(recs.filter((l) => l.includes('"from"')).length);
  });

  test('runs of one `from` and one `to` cut by chunk ends, other types and declined lines', () => {
    const dir = workdir();
    const recs: string[] = [schemaLine()];
    for (let s = 0; s < 40; s++) recs.push(JSON.stringify({ id: `site:${s}`, type: 'site' }));
    // Long runs of the same ends, with the ID lengths varied so that chunk ends fall at every offset of a line.
    for (let i = 0; i < 60000; i++) {
      const run = Math.floor(i / 37);
      const from = `e:${run}${'x'.repeat(run % 13)}`;
      if (i % 37 === 0) recs.push(JSON.stringify({ id: from, type: 'doc' }));
      recs.push(JSON.stringify({ from, type: i % 5 ? 'PART_OF' : 'LINKS', to: `site:${Math.floor(i / 101) % 40}` }));
      if (i % 1001 === 0) recs.push(`{"from":"${from}","type":"PART_OF","to":"site:\\u0031"}`);
    }
    writeFileSync(join(dir, 'runs.ndjson'), lines(...recs));
    expect(ingest(join(dir, 'runs.ndjson'), [], true).code).toBe(0);
    // And with a dangling reference every 4,000 lines, reported with their lines.
    for (let k = 500; k < recs.length; k += 4000) recs[k] = recs[k].replace(/"to":"site:/, '"to":"nowhere:');
    writeFileSync(join(dir, 'dangling.ndjson'), lines(...recs));
    expect(ingest(join(dir, 'dangling.ndjson'), [], true).code).toBe(2);
  });
});

describe('malformed and hostile NDJSON: the same messages, lines and exit codes', () => {
  const cases: Record<string, string | Buffer> = {
    'empty.ndjson': '',
    'blank.ndjson': '\n \n\r\n',
    'bom-only.ndjson': '\ufeff',
    'bom-crlf.ndjson':
      '\ufeff' +
      [
        schemaLine(),
        '{"id":"site:a","type":"site"}',
        '',
        ...Array.from({ length: 2000 }, (_, i) => (i % 9 ? `{"from":"site:a","type":"LINKS","to":"site:a"}` : ' \t')),
        '{"id":"site:b","type":"site"}',
      ].join('\r\n') +
      '\r\n',
    'truncated.ndjson': lines(schemaLine(), '{"id":"site:a","type":"site"}') + '{"id":"site:b","ty',
    'no-newline-at-end.ndjson':
      lines(schemaLine(), ...Array.from({ length: 500 }, (_, i) => `{"id":"site:${i}","type":"site"}`)) + '{"from":"site:1","type":"LINKS","to":"site:2"}',
    'no-schema.ndjson': lines('{"id":"site:a","type":"site"}'),
    'bad-schema.ndjson': lines('{"schema":{"relations":{"X":{"onDelete":"explode"}}}}', '{"id":"site:a","type":"site"}'),
    'duplicates.ndjson': lines(
      schemaLine(),
      '{"id":"site:a","type":"site"}',
      '{"id":"p","type":"page"}',
      '{"id":"site:a","type":"site"}',
      '{"type":"page","id":"p"}',
      '{"id":"p","type":"page","name":"é"}',
    ),
    'dangling.ndjson': lines(
      schemaLine(),
      '{"id":"site:a","type":"site"}',
      '{"from":"site:a","type":"PART_OF","to":"gone"}',
      '{"from":"gone2","type":"PART_OF","to":"site:a"}',
      '{"from":"x","type":"LINKS","to":"y"}',
    ),
    'unknown-types.ndjson': lines(
      schemaLine(['site']),
      '{"id":"site:a","type":"site"}',
      '{"id":"m","type":"MATCH (n) DETACH DELETE n"}',
      '{"from":"site:a","type":"DROPS","to":"site:a"}',
      '{"from":"site:a","type":"constructor","to":"site:a"}',
    ),
    'bad-fields.ndjson': lines(
      schemaLine(),
      '{"id":"site:a","type":"site","extra":1}',
      '{"id":"","type":"site"}',
      '{"id":"b","type":"site","protected":"yes"}',
      '{"from":"a","type":"LINKS"}',
      '[1,2]',
      '"text"',
      '{"__proto__":{"id":"x"},"id":"q","type":"site"}',
    ),
    'not-json.ndjson': lines(schemaLine(), '{"id":"site:a","type":"site"}', '{"id": site}', '{"id":"site:b","type":"site"}'),
    'proto.ndjson': lines(
      schemaLine(),
      '{"id":"__proto__","type":"site","name":"<b>x</b>"}',
      '{"id":"constructor","type":"page"}',
      '{"from":"constructor","type":"PART_OF","to":"__proto__"}',
      '{"id":"hasOwnProperty","type":"toString"}',
    ),
    'non-utf8.ndjson': Buffer.concat([
      Buffer.from(lines(schemaLine(), '{"id":"site:a","type":"site"}')),
      Buffer.from('{"id":"site:\xff\xfe","type":"site","name":"'),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from('"}\n{"from":"site:a","type":"LINKS","to":"site:a"}\n'),
    ]),
    'huge-field.ndjson': lines(
      schemaLine(),
      `{"id":"site:a","type":"site","name":"${'n'.repeat(3 << 20)}"}`,
      `{"id":"${'i'.repeat(70000)}","type":"page"}`,
      `{"from":"${'i'.repeat(70000)}","type":"PART_OF","to":"site:a"}`,
    ),
    'hostile.ndjson': lines(
      JSON.stringify({ schema: hostileSnapshot().schema }),
      ...hostileSnapshot().entities.map((e) => JSON.stringify(e)),
      ...hostileSnapshot().relations.map((r) => JSON.stringify(r)),
    ),
  };
  const many: string[] = [schemaLine()];
  for (let i = 0; i < 50; i++) many.push(`{"id":"d${i % 10}","type":"site"}`, `{"from":"d${i}","type":"PART_OF","to":"nowhere${i}"}`);
  cases['many-problems.ndjson'] = lines(...many);

  const GZIP_TOO = new Set(['empty.ndjson', 'bom-crlf.ndjson', 'truncated.ndjson', 'non-utf8.ndjson', 'huge-field.ndjson']);
  const CHUNKS = new Set(['bom-crlf.ndjson', 'truncated.ndjson', 'no-newline-at-end.ndjson', 'non-utf8.ndjson', 'huge-field.ndjson', 'many-problems.ndjson']);
  for (const [name, content] of Object.entries(cases)) {
    test(name, () => {
      const dir = workdir({ [name]: content });
      const r = ingest(join(dir, name), [], CHUNKS.has(name));
      expect([0, 2]).toContain(r.code);
      if (name === 'dangling.ndjson') {
        expect(r.stderr).toMatch(/dangling\.ndjson:3: to: references missing entity "gone"/);
        expect(ingest(join(dir, name), ['--allow-dangling']).code).toBe(0);
      }
      if (name === 'duplicates.ndjson') expect(r.stderr).toMatch(/duplicates\.ndjson:4: id: duplicate ID "site:a" \(first defined at .*duplicates\.ndjson:2\)/);
      if (GZIP_TOO.has(name)) {
        const gz = `${name}.gz`;
        writeFileSync(join(dir, gz), gzipSync(typeof content === 'string' ? Buffer.from(content) : content));
        const z = ingest(join(dir, gz));
        expect(z.code).toBe(r.code);
        expect(z.stdout).toBe(r.stdout);
      }
    });
  }

  test('another command reading --graph (plan) says the same', () => {
    const dir = workdir({ 'proto.ndjson': cases['proto.ndjson'], 'dup.ndjson': cases['duplicates.ndjson'] });
    expect(both(['plan', '__proto__', '--graph', join(dir, 'proto.ndjson')]).code).toBe(1);
    expect(both(['plan', 'site:a', '--graph', join(dir, 'dup.ndjson')]).code).toBe(2);
  });

  test('a truncated gzip file and a missing file', () => {
    const dir = workdir();
    const big = lines(schemaLine(), ...Array.from({ length: 20000 }, (_, i) => `{"id":"site:${i}","type":"site"}`));
    const gz = gzipSync(Buffer.from(big));
    writeFileSync(join(dir, 'cut.ndjson.gz'), gz.subarray(0, gz.length >> 1));
    expect(problems2(ingest(join(dir, 'cut.ndjson.gz')))).toMatch(/cut\.ndjson\.gz: gzip data ends too early \(the file is truncated\)$/);
    expect(ingest(join(dir, 'missing.ndjson')).code).toBe(2);
    expect(ingest(dir + '/').code).toBe(2);
  });
});

const problems2 = (r: Run) => {
  expect(r.code).toBe(2);
  return r.stderr.split('\n')[0];
};
