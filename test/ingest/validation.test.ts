// Every validation error names file:line and the field, exits 2, and leaves nothing written.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ingestIn, mappingYaml, problems, rels, run, workdir } from '../helpers/cli.js';

/** Runs ingest with --out and checks that a failure wrote nothing (no output, no temporary file). */
function ingestToFile(dir: string, extra: string[] = []) {
  const out = join(dir, 'out', 'snap.json');
  const r = run(['ingest', '--mapping', 'mapping.yaml', '--out', 'out/snap.json', ...extra], { cwd: dir });
  if (r.code !== 0) {
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  }
  return r;
}

/** A work directory with the files and an empty out/ folder. */
function dirWith(files: Record<string, string>): string {
  const dir = workdir(files);
  mkdirSync(join(dir, 'out'));
  return dir;
}

describe('validation', () => {
  test('duplicate IDs name both places, across files', () => {
    const dir = dirWith({
      'a.csv': 'id,name\nx,X\ny,Y\n',
      'b.ndjson': '{"id":"z"}\n{"id":"x"}\n',
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: site, id: id, name: name }
  - file: b.ndjson
    entity: { type: site, id: id }
`),
    });
    const r = ingestToFile(dir);
    expect(r.code).toBe(2);
    expect(problems(r)).toEqual(['b.ndjson:2: id: duplicate ID "x" (first defined at a.csv:2)']);
  });

  test('references to missing entities fail by default, naming file:line and field', () => {
    const dir = dirWith({
      'sites.csv': 'id\ns1\n',
      'users.ndjson': '{"id":"u1","sites":["s1","s9"]}\n{"id":"u2","sites":["s8"]}\n',
      'links.csv': 'a,b\nu1,s7\n',
      'mapping.yaml': mappingYaml(`
  - file: sites.csv
    entity: { type: site, id: id }
  - file: users.ndjson
    entity: { type: user, id: id }
    references: [{ field: sites, relation: MEMBER_OF }]
  - file: links.csv
    relation: { type: LINKS, from: { field: a }, to: { field: b } }
`),
    });
    const r = ingestToFile(dir);
    expect(r.code).toBe(2);
    expect(problems(r).sort()).toEqual(
      [
        'links.csv:2: b: references missing entity "s7"',
        'users.ndjson:1: sites: references missing entity "s9"',
        'users.ndjson:2: sites: references missing entity "s8"',
      ].sort(),
    );
    // --allow-dangling drops them and reports how many per source.
    const ok = ingestToFile(dir, ['--allow-dangling']);
    expect(ok.stderr).not.toMatch(/^blastguard:/m);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/dropped 3 references to missing entities \(--allow-dangling\):\n {2}users\.ndjson +2\n {2}links\.csv +1\n/);
    const snap = ingestIn(dir, ['--allow-dangling']).snap;
    expect(rels(snap)).toEqual(['u1 MEMBER_OF s1']);
    expect(snap!.entities.map((e) => e.id).sort()).toEqual(['s1', 'u1', 'u2']);
  });

  test('an unknown relation type: in the mapping (mapping line) and in the data (data line)', () => {
    const inMapping = dirWith({
      'a.csv': 'id,p\nx,y\n',
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: site, id: id }
    references:
      - { field: p, relation: OWNS }
`),
    });
    const r = ingestToFile(inMapping);
    expect(r.code).toBe(2);
    expect(problems(r)).toEqual(['mapping.yaml:13: sources[0].references[0].relation: relation type "OWNS" is not declared in schema.relations']);

    const inData = dirWith({
      'a.csv': 'id\nx\ny\n',
      'rels.csv': 'from,type,to\nx,LINKS,y\nx,OWNS,y\n',
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: site, id: id }
  - file: rels.csv
    relation: { typeField: type, from: { field: from }, to: { field: to } }
`),
    });
    const d = ingestToFile(inData);
    expect(d.code).toBe(2);
    expect(problems(d)).toEqual(['rels.csv:3: type: relation type "OWNS" is not declared in schema.relations']);
  });

  test('an ID template that yields an empty ID, and a row missing its ID field', () => {
    const dir = dirWith({
      'a.ndjson': '{"ns":"","local":""}\n{"ns":"a","local":"1"}\n',
      'b.csv': 'id,name\n,nameless\nok,fine\n',
      'c.ndjson': '{"name":"no id here"}\n{"id":{"nested":true}}\n',
      'mapping.yaml': mappingYaml(`
  - file: a.ndjson
    entity: { type: site, template: "{ns}{local}" }
  - file: b.csv
    entity: { type: site, id: id, template: "site:{id}" }
  - file: c.ndjson
    entity: { type: site, id: id }
`),
    });
    const r = ingestToFile(dir);
    expect(r.code).toBe(2);
    expect(problems(r)).toEqual([
      'a.ndjson:1: ns, local: the ID template "{ns}{local}" yields an empty ID (all its fields are absent or empty)',
      'b.csv:2: id: missing ID: field "id" is absent or empty',
      'c.ndjson:1: id: missing ID: field "id" is absent or empty',
      'c.ndjson:2: id: the ID is an object; it must be text or a number',
    ]);
  });

  test('a type the schema does not know: in the mapping, and from a type field', () => {
    const schema = `schema:
  relations: {}
  types: { site: {}, user: {} }
`;
    const dir = dirWith({
      'a.ndjson': '{"id":"1","kind":"site"}\n{"id":"2","kind":"robot"}\n',
      'b.csv': 'id\nz\n',
      'mapping.yaml': mappingYaml(
        `
  - file: a.ndjson
    entity: { typeField: kind, id: id }
  - file: b.csv
    entity: { type: widget, id: id }
`,
        schema,
      ),
    });
    const r = ingestToFile(dir);
    expect(r.code).toBe(2);
    expect(problems(r)).toEqual(['mapping.yaml:9: sources[1].entity.type: type "widget" is not declared in schema.types']);
    const fixed = dirWith({
      'a.ndjson': '{"id":"1","kind":"site"}\n{"id":"2","kind":"robot"}\n',
      'mapping.yaml': mappingYaml(
        `
  - file: a.ndjson
    entity: { typeField: kind, id: id }
`,
        schema,
      ),
    });
    const f = ingestToFile(fixed);
    expect(problems(f)).toEqual(['a.ndjson:2: kind: type "robot" is not declared in schema.types']);
  });

  test('at most 20 problems are listed, then "… and N more"', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `dup${i % 2 ? '' : ''},x${i}`).join('\n');
    const dir = dirWith({
      'a.csv': `id,name\n${rows}\n`,
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: site, id: id, name: name }
`),
    });
    const r = ingestToFile(dir);
    expect(r.code).toBe(2);
    const p = problems(r);
    expect(p).toHaveLength(21);
    expect(p[0]).toBe('a.csv:3: id: duplicate ID "dup" (first defined at a.csv:2)');
    expect(p[19]).toBe('a.csv:22: id: duplicate ID "dup" (first defined at a.csv:2)');
    expect(p[20]).toBe('… and 9 more');
  });

  test('mapping mistakes name the mapping line and field', () => {
    // Shape first (the JSON Schema), then what needs the files and the schema.
    const shape = dirWith({
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { id: id, attributes: all }
  - glob: "*.csv"
    entity: { type: site, id: id }
    colour: blue
  - file: a.csv
    format: xml
    entity: { type: site, id: id }
`),
    });
    const r = ingestToFile(shape);
    expect(r.code).toBe(2);
    expect(problems(r)).toEqual([
      'mapping.yaml:11: sources[0].entity.attributes: must be "*" or a list of fields',
      'mapping.yaml:14: sources[1].colour: unknown field "colour"',
      'mapping.yaml:16: sources[2].format: must be one of "json", "ndjson", "csv", "neo4j-csv", "graphology", "snapshot"',
      'mapping.yaml:11: sources[0].entity: give "type" or "typeField"',
    ]);
    const meaning = dirWith({
      'a.csv': 'id\nx\n',
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: site, id: id, template: "site:{" }
  - file: missing.csv
    entity: { type: site, id: id }
  - glob: "nothing-*.csv"
    entity: { type: site, id: id }
  - file: a.csv
    relation: { type: LINKS, from: { field: id, template: "site:{other}" }, to: { field: id, target: nobody } }
`),
    });
    const m = ingestToFile(meaning);
    expect(m.code).toBe(2);
    expect(problems(m)).toEqual([
      'mapping.yaml:11: sources[0].entity.template: bad template: unclosed "{" at position 6',
      'mapping.yaml:12: sources[1].file: file not found: missing.csv',
      'mapping.yaml:14: sources[2].glob: no file matches "nothing-*.csv" (in .)',
      'mapping.yaml:17: sources[3].relation.from.template: the template must use the field it builds from: put "{id}" in it',
      'mapping.yaml:17: sources[3].relation.to.target: no source gives entities of type "nobody" (use "template" to build the ID instead)',
    ]);
  });

  test('--graph and --mapping together, or neither, is a usage error', () => {
    const both = run(['plan', 'x', '--graph', 'a.json', '--mapping', 'm.yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give --graph or --mapping, not both.');
    const neither = run(['plan', 'x']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give --graph FILE (a snapshot) or --mapping FILE (raw exports)');
  });
});
