// Malformed and hostile input: a clear error naming the line, or the right result; never a crash or a wrong graph.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { ent, ingestIn, mappingYaml, problems, rels, run, workdir, type SnapshotOut } from '../helpers/cli.js';

const one = (file: string, extra = '') =>
  mappingYaml(`
  - file: ${file}
    entity: { type: site, id: id, name: name }${extra}
`);

describe('malformed files', () => {
  test('a truncated last line, a truncated JSON array, truncated or fake gzip', () => {
    const gz = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => `{"id":"g${i}"}\n`).join('')));
    const dir = workdir({
      'a.ndjson': '{"id":"a"}\n{"id":"b","na',
      'b.json': '[\n  {"id": "c"},\n  {"id": "d", "name": "x\n',
      'c.ndjson.gz': gz.subarray(0, gz.length >> 1),
      'd.csv.gz': Buffer.from('id\nnot gzip at all\n'),
      'mapping.yaml': mappingYaml(`
  - file: a.ndjson
    entity: { type: site, id: id }
  - file: b.json
    entity: { type: site, id: id }
  - file: c.ndjson.gz
    entity: { type: site, id: id }
  - file: d.csv.gz
    entity: { type: site, id: id }
`),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(2);
    const p = problems(r);
    expect(p[0]).toMatch(/^a\.ndjson:2: not valid JSON: /);
    expect(p[1]).toBe('b.json:3: not valid JSON: the file ends inside the value that starts on this line (is it truncated?)');
    expect(p[2]).toBe('c.ndjson.gz: gzip data ends too early (the file is truncated)');
    expect(p[3]).toMatch(/^d\.csv\.gz: not valid gzip data/);
    expect(p).toHaveLength(4);
  });

  test('bad quotes in CSV name the record', () => {
    const stray = workdir({ 'a.csv': 'id,name\nx,ok\ny,"bad"quote\nz,fine\n', 'mapping.yaml': one('a.csv') });
    expect(problems(ingestIn(stray))).toEqual([
      'a.csv:3: not valid CSV: a quoted field is followed by more text before the next delimiter (a stray or unescaped quote?)',
    ]);
    const unclosed = workdir({ 'a.csv': 'id,name\r\nx,"a\r\nb"\r\ny,"never closed\r\nz,fine\r\n', 'mapping.yaml': one('a.csv') });
    expect(problems(ingestIn(unclosed))).toEqual(['a.csv:4: not valid CSV: a quoted field is never closed (is the file truncated, or a quote not doubled?)']);
    const inner = workdir({ 'a.csv': 'id,name\nx,a"b\n', 'mapping.yaml': one('a.csv') });
    expect(problems(ingestIn(inner))[0]).toMatch(/^a\.csv:2: not valid CSV: /);
  });

  test('BOM and CRLF in NDJSON and JSON', () => {
    const dir = workdir({
      'a.ndjson': '\ufeff{"id":"a","name":"A"}\r\n{"id":"b","name":"B"}\r\n',
      'b.json': '\ufeff[\r\n{"id":"c","name":"C"}\r\n]\r\n',
      'mapping.yaml': mappingYaml(`
  - file: a.ndjson
    entity: { type: site, id: id, name: name }
  - file: b.json
    entity: { type: site, id: id, name: name }
`),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(0);
    expect(r.snap!.entities).toEqual([
      { id: 'a', type: 'site', name: 'A' },
      { id: 'b', type: 'site', name: 'B' },
      { id: 'c', type: 'site', name: 'C' },
    ]);
  });

  test('empty files are errors unless the source allows them', () => {
    const dir = workdir({
      'a.csv': '',
      'b.csv': 'id,name\r\n',
      'c.ndjson': '\n\n',
      'd.json': '',
      'e.json': '[]',
      'mapping.yaml': mappingYaml(
        ['a.csv', 'b.csv', 'c.ndjson', 'd.json', 'e.json'].map((f) => `  - file: ${f}\n    entity: { type: site, id: id }\n`).join(''),
      ),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(2);
    const empty = 'no records (an empty export is an error: set "allowEmpty: true" on the source if it may be empty)';
    expect(problems(r)).toEqual([
      'a.csv:1: file is empty (no header row)',
      `b.csv:1: ${empty}`,
      `c.ndjson:1: ${empty}`,
      'd.json:1: file is empty',
      `e.json:1: ${empty}`,
    ]);
    writeFileSync(
      join(dir, 'mapping.yaml'),
      mappingYaml(['b.csv', 'c.ndjson', 'e.json'].map((f) => `  - file: ${f}\n    allowEmpty: true\n    entity: { type: site, id: id }\n`).join('')),
    );
    const ok = ingestIn(dir);
    expect(ok.code).toBe(0);
    expect(ok.snap!.entities).toEqual([]);
  });

  test('a field of several megabytes comes through whole, in CSV, NDJSON and JSON', () => {
    const big = 'x'.repeat(3 << 20) + 'é,"\n' + 'y'.repeat(1 << 20);
    const dir = workdir({
      'a.csv': `id,name\na,"${big.replace(/"/g, '""')}"\nb,small\n`,
      'b.ndjson': `${JSON.stringify({ id: 'c', name: big })}\n{"id":"d","name":"small"}\n`,
      'c.json': JSON.stringify([
        { id: 'e', name: big },
        { id: 'f', name: 'small' },
      ]),
      'mapping.yaml': mappingYaml(['a.csv', 'b.ndjson', 'c.json'].map((f) => `  - file: ${f}\n    entity: { type: site, id: id, name: name }\n`).join('')),
    });
    const r = run(['ingest', '--mapping', 'mapping.yaml', '--out', 'out.json.gz'], { cwd: dir });
    expect(r.code).toBe(0);
    const snap = JSON.parse(gunzipSync(readFileSync(join(dir, 'out.json.gz'))).toString('utf8')) as SnapshotOut;
    for (const id of ['a', 'c', 'e']) expect(ent(snap, id)?.name === big).toBe(true);
    for (const id of ['b', 'd', 'f']) expect(ent(snap, id)?.name).toBe('small');
  });
});

describe('hostile input', () => {
  test('__proto__ and constructor as IDs, columns and keys are plain data', () => {
    const dir = workdir({
      'a.csv': 'id,__proto__,constructor,name\n__proto__,"{""polluted"":true}",x,<script>alert(1)</script>\nconstructor,p,y,"Robert""); DROP TABLE sites;--"\n',
      'b.ndjson': '{"id":"toString","__proto__":{"polluted":true},"ref":"__proto__"}\n{"id":"hasOwnProperty","ref":"constructor"}\n{"id":"valueOf"}\n',
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: "site'}) DETACH DELETE n //", id: id, name: name, attributes: "*" }
  - file: b.ndjson
    entity: { type: user, id: id, attributes: "*" }
    references: [{ field: ref, relation: MEMBER_OF }]
`),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toMatch(/^blastguard:/m);
    expect(r.code).toBe(0);
    const proto = ent(r.snap, '__proto__');
    expect(proto?.name).toBe('<script>alert(1)</script>');
    expect(proto?.type).toBe("site'}) DETACH DELETE n //");
    expect(Object.keys(proto?.attributes ?? {}).sort()).toEqual(['__proto__', 'constructor']);
    expect(ent(r.snap, 'constructor')?.name).toBe('Robert"); DROP TABLE sites;--');
    expect(Object.keys(ent(r.snap, 'toString')?.attributes ?? {})).toEqual(['__proto__']);
    expect(rels(r.snap)).toEqual(['hasOwnProperty MEMBER_OF constructor', 'toString MEMBER_OF __proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a field named like an Object.prototype member is absent when the record lacks it', () => {
    const dir = workdir({
      'a.ndjson': '{"name":"no id"}\n',
      'b.ndjson': '{"id":"x"}\n',
      'mapping.yaml': mappingYaml(`
  - file: a.ndjson
    entity: { type: site, id: constructor }
  - file: b.ndjson
    entity: { type: site, id: id, name: toString }
    references: [{ field: hasOwnProperty, relation: LINKS }]
`),
    });
    const r = ingestIn(dir);
    expect(problems(r)).toEqual(['a.ndjson:1: constructor: missing ID: field "constructor" is absent or empty']);
  });

  test('a missing file, a directory, and a --graph that is not there', () => {
    const dir = workdir({ 'sub/x.csv': 'id\na\n', 'mapping.yaml': one('sub') });
    expect(problems(ingestIn(dir))).toEqual(['mapping.yaml:10: sources[0].file: sub is not a file']);
    const g = run(['plan', 'a', '--graph', 'nope.ndjson'], { cwd: dir });
    expect(g.code).toBe(2);
    expect(problems(g)).toEqual(['nope.ndjson: file not found']);
  });
});
