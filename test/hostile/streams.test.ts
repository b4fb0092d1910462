// Hostile input to the streaming graph readers (snapshot JSON and NDJSON on one and on two threads, raw exports
// through a mapping, graphology JSON): duplicate keys, a line of gigabytes, huge strings, deep nesting, 64-bit numeric
// IDs, UTF-16 files. Each runs the real CLI and asserts exit 2 with one problem line naming the file and line (or the
// right result), in bounded time and memory, with no input changed.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { hasStack, workdir } from '../helpers/cli.js';
import { problemLines, runHostile, runQuick, strayTempFiles, treeState, type HostileOptions, type HostileRun } from '../helpers/hostile-run.js';

const SCHEMA = { boundary: 'site', relations: { HOSTED_ON: { onDelete: 'cascade' }, MEMBER_OF: { onDelete: 'last-owner' } } };
const SCHEMA_LINE = JSON.stringify({ schema: SCHEMA });
const lines = (...ls: string[]) => ls.join('\n') + '\n';

/** One thread; the reader thread; the reader thread reading 4,099 bytes at a time (chunk ends inside lines). */
const THREADS: [string, Record<string, string>][] = [
  ['one thread', { BLASTGUARD_INGEST_THREADS: '1' }],
  ['reader thread', { BLASTGUARD_INGEST_THREADS: '2' }],
  ['reader thread, small chunks', { BLASTGUARD_INGEST_THREADS: '2', BLASTGUARD_INGEST_CHUNK_BYTES: '4099' }],
];

/**
 * Runs the CLI in `dir` and checks what every refused input must give: exit 2, one line, no stack, input unchanged,
 * in bounded time and memory. `quick`: an input of a few bytes whose refusal is about its syntax, not its size, run
 * in the warm in-process CLI (runQuick): bounded in time only.
 */
function refused(dir: string, args: string[], opts: HostileOptions & { seconds?: number; mib?: number; quick?: boolean } = {}): string {
  const before = treeState(dir);
  const r = opts.quick ? runQuick(args, { cwd: dir, ...opts }) : runHostile(args, { cwd: dir, ...opts });
  expectRefused(r, opts.seconds ?? 20, opts.quick ? undefined : (opts.mib ?? 400));
  expect(treeState(dir)).toBe(before);
  expect(strayTempFiles(dir)).toEqual([]);
  return problemLines(r)[0].slice('blastguard: '.length);
}

function expectRefused(r: HostileRun, seconds: number, mib: number | undefined): void {
  expect({ code: r.code, timedOut: r.timedOut, stderr: r.stderr }).toEqual({ code: 2, timedOut: false, stderr: expect.any(String) });
  expect(problemLines(r)).toHaveLength(1);
  expect(hasStack(r.stderr)).toBe(false);
  expect(r.stdout).toBe('');
  expect(r.seconds).toBeLessThan(seconds);
  if (mib !== undefined) expect(r.peakMiB).toBeLessThan(mib);
}

/** For cases whose input is a few bytes (see refused). */
const QUICK = { quick: true } as const;

/**
 * A gzip file whose content is `head`, then `count` × `blockMiB` MiB of `fill`, then `tail`, written as concatenated
 * gzip members (which gunzip reads as one stream): gigabytes of content in a few megabytes, built in a second.
 */
function gzipBomb(path: string, head: string, fill: string, blockMiB: number, count: number, tail: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, gzipSync(head));
    const block = gzipSync(Buffer.alloc(blockMiB << 20, fill));
    for (let i = 0; i < count; i++) writeSync(fd, block);
    writeSync(fd, gzipSync(tail));
  } finally {
    closeSync(fd);
  }
}

describe('duplicate keys are errors, never a silent choice', () => {
  // With the second "type" winning, the site is a product: deleting it raises no boundary-deleted and the plan passes.
  const snapshot = [
    '{"schema": ' + JSON.stringify(SCHEMA) + ',',
    ' "entities": [',
    '  {"id": "site:acme", "type": "site", "name": "acme.example",',
    '   "type": "product"},',
    '  {"id": "app", "type": "app"}',
    ' ],',
    ' "relations": [{"from": "app", "type": "HOSTED_ON", "to": "site:acme"}]',
    '}',
  ].join('\n');

  test('a snapshot entity with two "type" keys: exit 2 naming the key and both lines, not a pass', () => {
    const dir = workdir({ 'g.json': snapshot, 'g.json.gz': snapshot });
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'g.json'], QUICK)).toBe(
      'g.json:4: entities[0].type: duplicate key "type" (first on line 3; a JSON reader would silently keep only the last value)',
    );
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'g.json.gz'], QUICK)).toMatch(/^g\.json\.gz:4: entities\[0\]\.type: duplicate key "type"/);
    // The same key written with an escape is the same key.
    writeFileSync(join(dir, 'esc.json'), snapshot.replace('"type": "product"', '"typ\\u0065": "product"'));
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'esc.json'], QUICK)).toMatch(/^esc\.json:4: entities\[0\]\.type: duplicate key "type"/);
    // Without the duplicate, the plan fails as it must (a site deleted).
    writeFileSync(join(dir, 'ok.json'), snapshot.replace(',\n   "type": "product"', ''));
    expect(runQuick(['plan', 'site:acme', '--graph', 'ok.json'], { cwd: dir }).code).toBe(1);
  });

  test('duplicate keys in a relation, in the schema, at the top level and in nested attributes of snapshot JSON', () => {
    const dir = workdir({
      'rel.json': snapshot.replace(',\n   "type": "product"', '').replace('"to": "site:acme"}', '"to": "site:acme", "to": "app"}'),
      'schema.json': snapshot
        .replace(',\n   "type": "product"', '')
        .replace('"HOSTED_ON":{"onDelete":"cascade"}', '"HOSTED_ON":{"onDelete":"cascade","onDelete":"none"}'),
      'top.json': snapshot.replace(',\n   "type": "product"', '').replace(/\n}$/, ',\n "relations": []\n}'),
      'attrs.json': snapshot.replace(',\n   "type": "product"', ', "attributes": {"a": {"b": 1,\n "b": 2}}'),
    });
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'rel.json'], QUICK)).toMatch(
      /^rel\.json:6: relations\[0\]\.to: duplicate key "to" \(both on this line;/,
    );
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'schema.json'], QUICK)).toMatch(
      /^schema\.json:1: schema\.relations\.HOSTED_ON\.onDelete: duplicate key "onDelete"/,
    );
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'top.json'], QUICK)).toMatch(/^top\.json:7: relations: duplicate key "relations" \(first on line 6;/);
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'attrs.json'], QUICK)).toMatch(
      /^attrs\.json:4: entities\[0\]\.attributes\.a\.b: duplicate key "b" \(first on line 3;/,
    );
  });

  describe.each(THREADS)('native NDJSON, %s', (_name, env) => {
    test('an entity, a relation, attributes and the schema line with a key twice', () => {
      const entity = [
        SCHEMA_LINE,
        '{"id":"app","type":"app"}',
        '{"id":"site:acme","type":"site","type":"product"}',
        '{"from":"app","type":"HOSTED_ON","to":"site:acme"}',
      ];
      const dir = workdir({
        'entity.ndjson': lines(...entity),
        'relation.ndjson': lines(
          SCHEMA_LINE,
          '{"id":"site:acme","type":"site"}',
          '{"id":"app","type":"app"}',
          '{"from":"app","type":"HOSTED_ON","to":"site:acme","from":"site:acme"}',
        ),
        'attributes.ndjson': lines(SCHEMA_LINE, '{"id":"site:acme","type":"site","attributes":{"region":"eu","plan":"free","region":"us"}}'),
        'schema.ndjson': lines(
          JSON.stringify({ schema: SCHEMA }).replace('"boundary":"site"', '"boundary":"site","boundary":"app"'),
          '{"id":"site:acme","type":"site"}',
        ),
        'entity.ndjson.gz': lines(...entity),
      });
      const args = (f: string) => ['plan', 'site:acme', '--graph', f];
      expect(refused(dir, args('entity.ndjson'), { env, quick: true })).toBe(
        'entity.ndjson:3: type: duplicate key "type" (both on this line; a JSON reader would silently keep only the last value)',
      );
      expect(refused(dir, args('entity.ndjson.gz'), { env, quick: true })).toMatch(/^entity\.ndjson\.gz:3: type: duplicate key "type"/);
      expect(refused(dir, args('relation.ndjson'), { env, quick: true })).toMatch(/^relation\.ndjson:4: from: duplicate key "from"/);
      expect(refused(dir, args('attributes.ndjson'), { env, quick: true })).toMatch(/^attributes\.ndjson:2: attributes\.region: duplicate key "region"/);
      expect(refused(dir, args('schema.ndjson'), { env, quick: true })).toMatch(/^schema\.ndjson:1: schema\.boundary: duplicate key "boundary"/);
    });
  });

  test('raw exports through a mapping: JSON, NDJSON, a key twice at the top of a JSON export, graphology JSON', () => {
    const mapping = (file: string, extra = '') =>
      `schema:\n  boundary: site\n  relations:\n    HOSTED_ON: { onDelete: cascade }\nsources:\n  - file: ${file}\n${extra}    entity: { typeField: kind, id: id, name: name }\n`;
    const dir = workdir({
      'sites.json': '[\n  {"id": "acme", "kind": "site"},\n  {"id": "globex",\n   "kind": "site",\n   "kind": "app"}\n]\n',
      'sites.ndjson': '{"id": "acme", "kind": "site"}\n{"id": "globex", "kind": "site", "name": "x", "kind": "app"}\n',
      'wrapped.json': '{"data": [{"id": "acme", "kind": "site"}],\n "data": [{"id": "globex", "kind": "app"}]}\n',
      'graph.json': JSON.stringify({ attributes: { schema: SCHEMA }, nodes: [{ key: 'site:acme', attributes: { type: 'site' } }], edges: [] }).replace(
        '"type":"site"',
        '"type":"site","type":"app"',
      ),
      'json.yaml': mapping('sites.json'),
      'ndjson.yaml': mapping('sites.ndjson'),
      'wrapped.yaml': mapping('wrapped.json', '    path: data\n'),
    });
    const ingest = (m: string) => ['ingest', '--mapping', m, '--out', 'out.json'];
    expect(refused(dir, ingest('json.yaml'), QUICK)).toBe(
      'sites.json:5: [1].kind: duplicate key "kind" (first on line 4; a JSON reader would silently keep only the last value)',
    );
    expect(refused(dir, ingest('ndjson.yaml'), QUICK)).toMatch(/^sites\.ndjson:2: kind: duplicate key "kind" \(both on this line;/);
    expect(refused(dir, ingest('wrapped.yaml'), QUICK)).toMatch(/^wrapped\.json:2: data: duplicate key "data" \(first on line 1;/);
    expect(refused(dir, ['plan', 'site:acme', '--graph', 'graph.json'], QUICK)).toMatch(/^graph\.json:1: nodes\[0\]\.attributes\.type: duplicate key "type"/);
  });
});

describe('a line of gigabytes fails at the record limit, fast and in bounded memory', () => {
  // 4 GiB of content in one line: read until the 64 MiB limit, then refused. Before, each chunk re-joined the partial
  // line (quadratic) until memory ran out.
  test.each(THREADS.slice(0, 2))('an NDJSON gzip whose second line expands to 4 GiB, %s', (_name, env) => {
    const dir = workdir();
    gzipBomb(join(dir, 'bomb.ndjson.gz'), `${SCHEMA_LINE}\n{"id":"site:a","type":"site","name":"`, 'a', 64, 64, '"}\n');
    expect(readFileSync(join(dir, 'bomb.ndjson.gz')).length).toBeLessThan(16 << 20);
    expect(refused(dir, ['plan', 'site:a', '--graph', 'bomb.ndjson.gz'], { env, seconds: 15, mib: 450 })).toBe(
      'bomb.ndjson.gz:2: the line is longer than 64 MiB, the limit for one record (set BLASTGUARD_MAX_RECORD_MIB to raise it)',
    );
  });

  test('a mapping NDJSON export and a CSV export with a 4 GiB line, a JSON export with a 4 GiB record', () => {
    const dir = workdir({
      'ndjson.yaml': 'schema:\n  relations: {}\nsources:\n  - file: big.ndjson.gz\n    entity: { type: site, id: id }\n',
      'csv.yaml': 'schema:\n  relations: {}\nsources:\n  - file: big.csv.gz\n    entity: { type: site, id: id }\n',
      'json.yaml': 'schema:\n  relations: {}\nsources:\n  - file: big.json.gz\n    entity: { type: site, id: id }\n',
    });
    gzipBomb(join(dir, 'big.ndjson.gz'), '{"id":"a"}\n{"id":"b","x":[', '1', 64, 64, ']}\n');
    gzipBomb(join(dir, 'big.csv.gz'), 'id,name\na,', 'x', 64, 64, '\n');
    gzipBomb(join(dir, 'big.json.gz'), '[{"id":"a"},\n{"id":"b","x":[', '1', 64, 64, ']}]');
    const ingest = (m: string) => ['ingest', '--mapping', m, '--out', 'out.json'];
    expect(refused(dir, ingest('ndjson.yaml'), { seconds: 15, mib: 450 })).toBe(
      'big.ndjson.gz:2: the line is longer than 64 MiB, the limit for one record (set BLASTGUARD_MAX_RECORD_MIB to raise it)',
    );
    expect(refused(dir, ingest('csv.yaml'), { seconds: 15, mib: 450 })).toMatch(/^big\.csv\.gz:2: the record is longer than 64 MiB/);
    expect(refused(dir, ingest('json.yaml'), { seconds: 15, mib: 450 })).toMatch(/^big\.json\.gz:2: the value that starts on this line is longer than 64 MiB/);
  });

  test.each(THREADS)('a plain NDJSON file with a line past a lowered limit, %s; raising the limit reads it', (_name, env) => {
    const long = `{"id":"site:b","type":"site","name":"${'n'.repeat(3 << 20)}"}`;
    const dir = workdir({ 'g.ndjson': lines(SCHEMA_LINE, '{"id":"site:a","type":"site"}', long, '{"id":"site:c","type":"site"}') });
    const low = { ...env, BLASTGUARD_MAX_RECORD_MIB: '1' };
    expect(refused(dir, ['plan', 'site:a', '--graph', 'g.ndjson'], { env: low })).toBe(
      'g.ndjson:3: the line is longer than 1 MiB, the limit for one record (set BLASTGUARD_MAX_RECORD_MIB to raise it)',
    );
    expect(runHostile(['plan', 'site:c', '--graph', 'g.ndjson'], { cwd: dir, env: { ...env, BLASTGUARD_MAX_RECORD_MIB: '4' } }).code).toBe(1);
  });

  test('a limit that is not a number is a usage error', () => {
    const dir = workdir({ 'g.ndjson': lines(SCHEMA_LINE, '{"id":"site:a","type":"site"}') });
    expect(refused(dir, ['plan', 'site:a', '--graph', 'g.ndjson'], { env: { BLASTGUARD_MAX_RECORD_MIB: 'lots' }, quick: true })).toMatch(
      /BLASTGUARD_MAX_RECORD_MIB must be a number of MiB/,
    );
  });
});

describe('huge strings and deep nesting are refused when read, with the line', () => {
  const big = 'b'.repeat(17 << 20);

  test.each(THREADS)('a 17 MiB name and attributes nested 5,000 deep in NDJSON, %s', (_name, env) => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const dir = workdir({
      'str.ndjson': lines(SCHEMA_LINE, '{"id":"site:a","type":"site"}', `{"id":"site:b","type":"site","name":"${big}"}`),
      'deep.ndjson': lines(SCHEMA_LINE, '{"id":"site:a","type":"site"}', `{"id":"site:b","type":"site","attributes":${deep}}`),
    });
    expect(refused(dir, ['plan', 'site:a', '--graph', 'str.ndjson'], { env })).toBe(
      'str.ndjson:3: a string longer than 16 MiB, the limit for one value (set BLASTGUARD_MAX_STRING_MIB to raise it)',
    );
    expect(refused(dir, ['plan', 'site:a', '--graph', 'deep.ndjson'], { env })).toBe(
      'deep.ndjson:3: objects and arrays nested more than 100 deep (the limit for one record)',
    );
    // Raised, the long name is read.
    expect(runHostile(['plan', 'site:a', '--graph', 'str.ndjson'], { cwd: dir, env: { ...env, BLASTGUARD_MAX_STRING_MIB: '32' } }).code).toBe(1);
  });

  test('in snapshot JSON: a 17 MiB name, a 4 GiB string in a gzip, attributes nested 5,000 deep', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const doc = (entity: string) => `{"schema": ${JSON.stringify(SCHEMA)},\n"entities": [\n{"id": "site:a", "type": "site"},\n${entity}],\n"relations": []}`;
    const dir = workdir({
      'str.json': doc(`{"id": "site:b", "type": "site", "name": "${big}"}`),
      'deep.json': doc(`{"id": "site:b", "type": "site", "attributes": {"x": ${deep}}}`),
    });
    const head = doc('{"id": "site:b", "type": "site", "name": "');
    gzipBomb(join(dir, 'bomb.json.gz'), head.slice(0, head.indexOf('"name": "') + 9), 'z', 64, 64, '"}],"relations": []}');
    expect(refused(dir, ['plan', 'site:a', '--graph', 'str.json'])).toMatch(/^str\.json:4: a string longer than 16 MiB/);
    expect(refused(dir, ['plan', 'site:a', '--graph', 'deep.json'])).toBe(
      'deep.json:4: objects and arrays nested more than 100 deep (the limit for one record)',
    );
    expect(refused(dir, ['plan', 'site:a', '--graph', 'bomb.json.gz'], { seconds: 15, mib: 450 })).toMatch(/^bomb\.json\.gz:4: a string longer than 16 MiB/);
  });

  test('in raw exports: deep JSON and NDJSON records, a long CSV field', () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const dir = workdir({
      'a.json': `[{"id": "x"},\n {"id": "y", "meta": ${deep}}]`,
      'b.ndjson': `{"id": "x"}\n{"id": "y", "meta": ${deep}}\n`,
      'c.csv': `id,name\nx,ok\ny,${big}\n`,
      ...Object.fromEntries(
        ['a.json', 'b.ndjson', 'c.csv'].map((f) => [
          `${f}.yaml`,
          `schema:\n  relations: {}\nsources:\n  - file: ${f}\n    entity: { type: site, id: id, attributes: "*" }\n`,
        ]),
      ),
    });
    const ingest = (m: string) => ['ingest', '--mapping', m, '--out', 'out.json'];
    expect(refused(dir, ingest('a.json.yaml'))).toBe('a.json:2: objects and arrays nested more than 100 deep (the limit for one record)');
    expect(refused(dir, ingest('b.ndjson.yaml'))).toBe('b.ndjson:2: objects and arrays nested more than 100 deep (the limit for one record)');
    expect(refused(dir, ingest('c.csv.yaml'))).toMatch(/^c\.csv:3: a string longer than 16 MiB/);
  });
});

describe('integers beyond 2^53 are IDs with their exact digits, never rounded', () => {
  // 111677749041879313 as a double is 111677749041879310: a rounded ID names another entity, or none.
  const ID = '111677749041879313';
  const mapping = `schema:
  boundary: site
  relations:
    MEMBER_OF: { onDelete: last-owner }
    HOSTED_ON: { onDelete: cascade }
sources:
  - file: sites.json
    entity: { type: site, id: id, template: "site:{id}", name: name }
  - file: users.ndjson
    entity: { type: user, id: id, template: "user:{id}" }
    references:
      - { field: site, relation: MEMBER_OF, target: site }
  - file: apps.json
    path: apps
    relation:
      type: HOSTED_ON
      from: { field: app, template: "app:{app}" }
      to: { field: site, target: site }
  - file: app-list.ndjson
    entity: { type: app, id: id, template: "app:{id}" }
`;

  test('a JSON and an NDJSON export: ingest --out keeps the digits, and the plan deletes by them', () => {
    const dir = workdir({
      'mapping.yaml': mapping,
      'sites.json': `[{"id": ${ID}, "name": ${ID}}, {"id": 111677749041879310, "name": "the rounded neighbour"}]`,
      'users.ndjson': `{"id": 9007199254740993, "site": ${ID}}\n{"id": -9007199254740995, "site": 111677749041879310}\n`,
      'apps.json': `{"apps": [{"app": 18446744073709551615, "site": ${ID}}]}`,
      'app-list.ndjson': '{"id": 18446744073709551615}\n',
    });
    const out = runQuick(['ingest', '--mapping', 'mapping.yaml', '--out', '-'], { cwd: dir });
    expect(out.code).toBe(0);
    const snap = JSON.parse(out.stdout) as { entities: { id: string; name?: string }[]; relations: { from: string; type: string; to: string }[] };
    expect(snap.entities.map((e) => e.id).sort()).toEqual(
      ['app:18446744073709551615', `site:${ID}`, 'site:111677749041879310', 'user:-9007199254740995', 'user:9007199254740993'].sort(),
    );
    expect(snap.entities.find((e) => e.id === `site:${ID}`)?.name).toBe(ID);
    expect(snap.relations.map((r) => `${r.from} ${r.type} ${r.to}`).sort()).toEqual([
      `app:18446744073709551615 HOSTED_ON site:${ID}`,
      'user:-9007199254740995 MEMBER_OF site:111677749041879310',
      `user:9007199254740993 MEMBER_OF site:${ID}`,
    ]);
    writeFileSync(join(dir, 'snap.json'), out.stdout);
    const plan = runQuick(['plan', `site:${ID}`, '--graph', 'snap.json', '--allow-boundary-deletion', '--format', 'json'], { cwd: dir });
    expect(plan.code).toBe(0);
    const deleted = (JSON.parse(plan.stdout) as { deleted: { id: string }[] }).deleted.map((d) => d.id).sort();
    expect(deleted).toEqual(['app:18446744073709551615', `site:${ID}`, 'user:9007199254740993']);
  });

  test('graphology JSON with numeric keys beyond 2^53 keeps them; a snapshot ID that is a number is refused', () => {
    const graph = `{"attributes": {"schema": ${JSON.stringify(SCHEMA)}}, "nodes": [{"key": ${ID}, "attributes": {"type": "site"}}, {"key": 9007199254740993, "attributes": {"type": "app"}}], "edges": [{"source": 9007199254740993, "target": ${ID}, "attributes": {"type": "HOSTED_ON"}}]}`;
    const dir = workdir({
      'graph.json': graph,
      'snap.ndjson': lines(SCHEMA_LINE, `{"id": ${ID}, "type": "site"}`),
      'snap.json': `{"schema": ${JSON.stringify(SCHEMA)}, "entities": [\n{"id": ${ID}, "type": "site"}], "relations": []}`,
    });
    const plan = runQuick(['plan', ID, '--graph', 'graph.json', '--allow-boundary-deletion', '--format', 'json'], { cwd: dir });
    expect(plan.code).toBe(0);
    expect((JSON.parse(plan.stdout) as { deleted: { id: string }[] }).deleted.map((d) => d.id).sort()).toEqual([ID, '9007199254740993']);
    expect(refused(dir, ['plan', ID, '--graph', 'snap.ndjson'], QUICK)).toBe('snap.ndjson:2: id: must be string');
    expect(refused(dir, ['plan', ID, '--graph', 'snap.json'], QUICK)).toBe('snap.json:2: entities[0].id: must be string');
  });
});

describe('UTF-16 files are named as such', () => {
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  const bomLE = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const snapshot = JSON.stringify({ schema: SCHEMA, entities: [{ id: 'site:a', type: 'site' }], relations: [] });

  test('graph files: JSON with a byte order mark, NDJSON without one, gzip', () => {
    const dir = workdir({
      'le.json': bomLE(snapshot),
      'be.ndjson': utf16be(lines(SCHEMA_LINE, '{"id":"site:a","type":"site"}')),
      'le.json.gz': gzipSync(Buffer.from(snapshot, 'utf16le')),
    });
    expect(refused(dir, ['plan', 'site:a', '--graph', 'le.json'], QUICK)).toBe(
      'le.json: the file is UTF-16LE text (it starts with a UTF-16 byte order mark); blastguard reads UTF-8: save it as UTF-8',
    );
    for (const [, env] of THREADS) {
      expect(refused(dir, ['plan', 'site:a', '--graph', 'be.ndjson'], { env, quick: true })).toBe(
        'be.ndjson: the file is UTF-16BE text (every other byte is zero); blastguard reads UTF-8: save it as UTF-8',
      );
    }
    expect(refused(dir, ['plan', 'site:a', '--graph', 'le.json.gz'], QUICK)).toMatch(/^le\.json\.gz: the file is UTF-16LE text .*save it as UTF-8$/);
  });

  test('exports: NDJSON and JSON in UTF-16 are refused; CSV in UTF-16LE with a byte order mark is read (csv-parse decodes it)', () => {
    const src = (f: string) => `schema:\n  relations: {}\nsources:\n  - file: ${f}\n    entity: { type: site, id: id, name: name }\n`;
    const dir = workdir({
      'a.ndjson': Buffer.from('{"id":"x"}\n', 'utf16le'),
      'b.json': bomLE('[{"id":"x"}]'),
      'c.csv': utf16be('\ufeffid,name\nx,Zoë\n'),
      'd.csv': bomLE('id,name\nx,Zoë\n'),
      ...Object.fromEntries(['a.ndjson', 'b.json', 'c.csv', 'd.csv'].map((f) => [`${f}.yaml`, src(f)])),
    });
    const ingest = (m: string) => ['ingest', '--mapping', m, '--out', 'out.json'];
    expect(refused(dir, ingest('a.ndjson.yaml'), QUICK)).toMatch(/^a\.ndjson: the file is UTF-16LE text \(every other byte is zero\); .*save it as UTF-8$/);
    expect(refused(dir, ingest('b.json.yaml'), QUICK)).toMatch(/^b\.json: the file is UTF-16LE text/);
    expect(refused(dir, ingest('c.csv.yaml'), QUICK)).toMatch(/^c\.csv: the file is UTF-16BE text \(it starts with a UTF-16 byte order mark\)/);
    const ok = runQuick(['ingest', '--mapping', 'd.csv.yaml', '--out', '-'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ entities: [{ id: 'x', type: 'site', name: 'Zoë' }] });
  });
});

describe('what already worked stays so', () => {
  test('truncated and corrupt gzip, truncated JSON', () => {
    const body = lines(SCHEMA_LINE, ...Array.from({ length: 20000 }, (_, i) => `{"id":"site:${i}","type":"site"}`));
    const gz = gzipSync(body);
    const corrupt = Buffer.from(gz);
    corrupt[corrupt.length - 8] ^= 0xff; // the CRC: every line reads, then gunzip fails
    const dir = workdir({
      'cut.ndjson.gz': gz.subarray(0, gz.length >> 1),
      'corrupt.ndjson.gz': corrupt,
      'cut.json': `{"schema": ${JSON.stringify(SCHEMA)},\n"entities": [\n{"id": "site:a", "type": "site"},\n{"id": "site:b", "ty`,
    });
    for (const [, env] of THREADS) {
      expect(refused(dir, ['plan', 'site:1', '--graph', 'cut.ndjson.gz'], { env, quick: true })).toBe(
        'cut.ndjson.gz: gzip data ends too early (the file is truncated)',
      );
      expect(refused(dir, ['plan', 'site:1', '--graph', 'corrupt.ndjson.gz'], { env, quick: true })).toMatch(/^corrupt\.ndjson\.gz: not valid gzip data/);
    }
    expect(refused(dir, ['plan', 'site:a', '--graph', 'cut.json'], QUICK)).toBe(
      'cut.json:4: not valid JSON: the file ends inside the value that starts on this line (is it truncated?)',
    );
  });
});
