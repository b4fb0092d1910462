// Snapshot JSON's fast path (snapshot-json-fast.ts) through the real CLI, on one thread and on the reader thread
// (BLASTGUARD_INGEST_THREADS=2, small chunks so records cross chunk ends): the canonical layout gives the graph the
// general reader gives, and anything unusual falls back to the general reader, with the same file:line messages.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, SAMPLE, workdir } from '../helpers/cli.js';

const THREADS = [{ BLASTGUARD_INGEST_THREADS: '1' }, { BLASTGUARD_INGEST_THREADS: '2', BLASTGUARD_INGEST_CHUNK_BYTES: '64' }];
const SCHEMA = '{"schema":{"boundary":"site","relations":{"IN":{"onDelete":"cascade"}}},';

/** ingest --graph FILE --out -, on one thread and on the reader thread: both answers, which must be the same. */
function both(dir: string, file: string) {
  const [one, two] = THREADS.map((env) => run(['ingest', '--graph', file, '--out', '-', '--quiet'], { cwd: dir, env }));
  expect(two).toEqual(one);
  return one;
}

describe('snapshot JSON fast path', () => {
  test('the sample and a generated tenant read the same on one thread and on the reader thread', () => {
    const dir = workdir();
    expect(run(['generate', '--sites', '2', '--seed', '5', '--out', 'g.json'], { cwd: dir }).code).toBe(0);
    const sample = both(dir, SAMPLE);
    expect(sample.code).toBe(0);
    // The same content (relations come out grouped by their `from`, so they are compared as sets).
    const out = JSON.parse(sample.stdout) as { entities: unknown[]; relations: unknown[] };
    const input = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { entities: unknown[]; relations: unknown[] };
    expect(out.entities).toEqual(input.entities);
    const sorted = (rs: unknown[]) => rs.map((r) => JSON.stringify(r)).sort();
    expect(sorted(out.relations)).toEqual(sorted(input.relations));
    const gen = both(dir, join(dir, 'g.json'));
    expect(gen.code).toBe(0);
    expect(JSON.parse(gen.stdout).entities.length).toBeGreaterThan(500);
  }, 120_000);

  test.each([
    [
      'a duplicate ID',
      `${SCHEMA}\n"entities":[\n{"id":"a","type":"site"},\n{"id":"a","type":"site"}\n],\n"relations":[\n]}\n`,
      /^blastguard: x\.json:4: entities\[1\]\.id: duplicate ID "a"/,
    ],
    [
      'a missing comma',
      `${SCHEMA}\n"entities":[\n{"id":"a","type":"site"}\n{"id":"b","type":"site"}\n],\n"relations":[\n]}\n`,
      /^blastguard: x\.json:4: not valid JSON/,
    ],
    [
      'a relation among the entities',
      `${SCHEMA}\n"entities":[\n{"id":"a","type":"site"},\n{"from":"a","type":"IN","to":"a"}\n],\n"relations":[\n]}\n`,
      /^blastguard: x\.json:4: entities\[1\]/,
    ],
    [
      'an unknown field',
      `${SCHEMA}\n"entities":[\n{"id":"a","type":"site","colour":"red"}\n],\n"relations":[\n]}\n`,
      /^blastguard: x\.json:3: entities\[0\]\.colour: unknown field "colour"/,
    ],
    [
      'a missing entity',
      `${SCHEMA}\n"entities":[\n{"id":"a","type":"site"}\n],\n"relations":[\n{"from":"a","type":"IN","to":"b"}\n]}\n`,
      /^blastguard: x\.json:6: to: references missing entity "b"/,
    ],
    ['a comma after the last record', `${SCHEMA}\n"entities":[\n{"id":"a","type":"site"},\n],\n"relations":[\n]}\n`, /^blastguard: x\.json:4: not valid JSON/],
    ['text after the document', `${SCHEMA}\n"entities":[\n{"id":"a","type":"site"}\n],\n"relations":[\n]}\nx\n`, /^blastguard: x\.json:7: /],
  ])('%s: the general reader reports it, the same on both paths', (_what, text, line) => {
    const dir = workdir({ 'x.json': text });
    const r = both(dir, 'x.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(line);
  });
});
