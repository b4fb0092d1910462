// Each input format and each reference style, through the real CLI.
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { ent, ingestIn, mappingYaml, problems, rels, run, workdir } from '../helpers/cli.js';

describe('CSV', () => {
  test('quoted fields with commas, doubled quotes and newlines; CRLF; a BOM; empty cells are absent', () => {
    const csv =
      '\ufeffid,url,region,org,legal\r\n' + 's1,"acme, inc.",us,"o1",\r\n' + 's2,"two\r\nlines ""quoted""",,o1,yes\r\n' + '\r\n' + 's3,plain,eu,o2,no\r\n';
    const dir = workdir({
      'orgs.csv': 'id,name\no1,Org One\no2,"Org, Two"\n',
      'sites.csv': csv,
      'mapping.yaml': mappingYaml(`
  - file: orgs.csv
    entity: { type: organization, id: id, template: "org:{id}", name: name }
  - file: sites.csv
    entity: { type: site, id: id, template: "site:{id}", name: url, protected: legal, attributes: [region] }
    references:
      - { field: org, relation: PART_OF, target: organization }
`),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(r.code).toBe(0);
    expect(ent(r.snap, 'site:s1')).toEqual({ id: 'site:s1', type: 'site', name: 'acme, inc.', attributes: { region: 'us' } });
    expect(ent(r.snap, 'site:s2')).toEqual({ id: 'site:s2', type: 'site', name: 'two\r\nlines "quoted"', protected: true });
    expect(ent(r.snap, 'site:s3')?.protected).toBeUndefined();
    expect(ent(r.snap, 'org:o2')?.name).toBe('Org, Two');
    expect(rels(r.snap)).toEqual(['site:s1 PART_OF org:o1', 'site:s2 PART_OF org:o1', 'site:s3 PART_OF org:o2']);
  });

  test('line numbers count embedded newlines (CRLF and LF) and blank lines', () => {
    const dir = workdir({
      'sites.csv': 'id,name,org\r\na,"x\r\ny\r\nz",o\r\n\r\nb,"q\nr",o\r\nc,n,missing\r\n',
      'orgs.csv': 'id\no\n',
      'mapping.yaml': mappingYaml(`
  - file: orgs.csv
    entity: { type: organization, id: id }
  - file: sites.csv
    entity: { type: site, id: id, name: name }
    references: [{ field: org, relation: PART_OF }]
`),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(2);
    // a: lines 2-4, blank 5, b: 6-7, c: 8
    expect(problems(r)).toEqual(['sites.csv:8: org: references missing entity "missing"']);
  });

  test('a row with the wrong number of fields is named, and so is a header column the mapping lacks', () => {
    const dir = workdir({
      'a.csv': 'id,name\nx,X\ny,Y,extra\nz\n',
      'b.csv': 'ident,name\nq,Q\n',
      'mapping.yaml': mappingYaml(`
  - file: a.csv
    entity: { type: site, id: id, name: name }
  - file: b.csv
    entity: { type: site, id: id, name: name }
`),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(2);
    expect(problems(r)).toEqual([
      'a.csv:3: 3 fields, but the header has 2',
      'a.csv:4: 1 fields, but the header has 2',
      'b.csv:1: id: ID field "id" is not a column of this file',
    ]);
  });

  test('a tab-separated file with delimiter', () => {
    const dir = workdir({
      'sites.tsv': 'id\tname\ns1\tA, B\n',
      'mapping.yaml': mappingYaml(`
  - file: sites.tsv
    format: csv
    delimiter: "\\t"
    entity: { type: site, id: id, name: name }
`),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(0);
    expect(ent(r.snap, 's1')).toEqual({ id: 's1', type: 'site', name: 'A, B' });
  });
});

describe('NDJSON and JSON', () => {
  test('NDJSON, a JSON array, JSON records under a key, nested fields, numeric IDs, gzip and globs', () => {
    const dir = workdir({
      'sites.ndjson': '{"id":"s1","meta":{"region":"us"},"name":"One"}\r\n\n{"id":2,"name":"Two","meta":{"region":"eu"}}\n',
      'products.json': '[\n  {"pid": "p1", "site": {"id": "s1"}},\n  {"pid": "p2", "site": {"id": 2}}\n]\n',
      'users.json': '{"total": 2, "data": [{"email": "a@x"}, {"email": "b@x"}], "next": null}',
      'parts/part-1.ndjson.gz': '{"id":"u1"}\n',
      'parts/part-2.ndjson.gz': '{"id":"u2"}\n',
      'mapping.yaml': mappingYaml(`
  - file: sites.ndjson
    entity: { type: site, id: id, template: "site:{id}", name: name, attributes: [meta.region] }
  - file: products.json
    entity: { type: product, id: pid, template: "product:{pid}" }
    references: [{ field: site.id, relation: HOSTED_ON, target: site }]
  - file: users.json
    path: data
    entity: { type: user, id: email, template: "user:{email}" }
  - glob: "parts/*.ndjson.gz"
    entity: { type: user, id: id, template: "user:{id}", attributes: "*" }
`),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(r.code).toBe(0);
    expect(ent(r.snap, 'site:s1')).toEqual({ id: 'site:s1', type: 'site', name: 'One', attributes: { 'meta.region': 'us' } });
    expect(ent(r.snap, 'site:2')?.name).toBe('Two');
    expect(rels(r.snap)).toEqual(['product:p1 HOSTED_ON site:s1', 'product:p2 HOSTED_ON site:2']);
    expect(r.snap!.entities.map((e) => e.id).sort()).toEqual(['product:p1', 'product:p2', 'site:2', 'site:s1', 'user:a@x', 'user:b@x', 'user:u1', 'user:u2']);
    expect(r.stderr).toContain('from 8 records in 5 files');
  });

  test('attributes "*" keeps every field not used otherwise', () => {
    const dir = workdir({
      'a.ndjson': '{"id":"a","kind":"site","n":"A","x":1,"y":{"z":[1,2]},"site":"b"}\n{"id":"b","kind":"site","empty":"","nil":null}\n',
      'b.csv': 'id,name,color,size\nc,C,red,\n',
      'mapping.yaml': mappingYaml(`
  - file: a.ndjson
    entity: { typeField: kind, id: id, name: n, attributes: "*" }
    references: [{ field: site, relation: LINKS }]
  - file: b.csv
    entity: { type: thing, id: id, name: name, attributes: "*" }
`),
    });
    const r = ingestIn(dir);
    expect(r.code).toBe(0);
    expect(ent(r.snap, 'a')).toEqual({ id: 'a', type: 'site', name: 'A', attributes: { x: 1, y: { z: [1, 2] } } });
    expect(ent(r.snap, 'b')).toEqual({ id: 'b', type: 'site' });
    expect(ent(r.snap, 'c')).toEqual({ id: 'c', type: 'thing', name: 'C', attributes: { color: 'red' } });
  });
});

describe('references', () => {
  test('single, multi-valued (JSON array and delimited), join table, reverse, and a target type that lends its template', () => {
    const dir = workdir({
      'sites.csv': 'id\ns1\ns2\ns3\n',
      'users.ndjson': ['{"email":"a@x","sites":["s1","s2"],"home":"s1"}', '{"email":"b@x","sites":[],"home":"s3"}', '{"email":"c@x","home":"s2"}'].join('\n'),
      'groups.csv': 'id,members\ng1,"a@x; b@x;"\ng2,\n',
      'memberships.csv': 'user,site\nc@x,s3\nb@x,s2\n',
      'policies.json': '[{"id":"pol","covers":["s1"]}]',
      'mapping.yaml': mappingYaml(`
  - file: sites.csv
    entity: { type: site, id: id, template: "site:{id}" }
  - file: users.ndjson
    entity: { type: user, id: email, template: "user:{email}" }
    references:
      - { field: sites, relation: MEMBER_OF, target: site }
      - { field: home, relation: LINKS, template: "site:{home}" }
  - file: groups.csv
    entity: { type: group, id: id, template: "group:{id}" }
    references:
      - { field: members, relation: MEMBER_OF, target: user, delimiter: ";", reverse: true }
  - file: memberships.csv
    relation:
      type: MEMBER_OF
      from: { field: user, target: user }
      to: { field: site, template: "site:{site}" }
  - file: policies.json
    entity: { type: policy, id: id }
    references:
      - { field: covers, relation: PART_OF, target: site, reverse: true }
`),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(r.code).toBe(0);
    expect(rels(r.snap)).toEqual(
      [
        'user:a@x MEMBER_OF site:s1',
        'user:a@x MEMBER_OF site:s2',
        'user:a@x LINKS site:s1',
        'user:b@x LINKS site:s3',
        'user:c@x LINKS site:s2',
        'user:a@x MEMBER_OF group:g1',
        'user:b@x MEMBER_OF group:g1',
        'user:c@x MEMBER_OF site:s3',
        'user:b@x MEMBER_OF site:s2',
        'site:s1 PART_OF pol',
      ].sort(),
    );
  });

  test('templates with several fields, and a relation type taken from a field', () => {
    const dir = workdir({
      'items.json': '[{"kind":"issue","site":"s1","key":"A-1","parent":"A"},{"kind":"project","site":"s1","key":"A"}]',
      'links.csv': 'from_kind,from_key,rel,to\nissue,A-1,LINKS,s1/A\n',
      'mapping.yaml': mappingYaml(`
  - file: items.json
    entity: { typeField: kind, template: "{kind}:{site}/{key}" }
    references:
      - { field: parent, relation: PART_OF, template: "project:{site}/{parent}" }
  - file: links.csv
    relation:
      typeField: rel
      from: { field: from_key, template: "{from_kind}:s1/{from_key}" }
      to: { field: to, template: "project:{to}" }
`),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(r.code).toBe(0);
    expect(r.snap!.entities.map((e) => `${e.type} ${e.id}`).sort()).toEqual(['issue issue:s1/A-1', 'project project:s1/A']);
    expect(rels(r.snap)).toEqual(['issue:s1/A-1 LINKS project:s1/A', 'issue:s1/A-1 PART_OF project:s1/A']);
  });
});

describe('neo4j-admin CSV', () => {
  test('node and relationship files load as they are: ID groups, labels, typed properties', () => {
    const dir = workdir({
      'sites.csv': 'siteId:ID(Site),name,seats:int,tags:string[],archived:boolean,:LABEL,secret:IGNORE\nacme,Acme,12,a;b,false,Site;Tenant,pw\n',
      'users.csv': ':ID(User),name,:LABEL\n1,Ann,User\n2,Bob,User;Admin\n',
      'members.csv': ':START_ID(User),:END_ID(Site),:TYPE,since:int\n1,acme,MEMBER_OF,2019\n2,acme,MEMBER_OF,2020\n',
      'mapping.yaml': mappingYaml(
        `
  - file: sites.csv
  - file: users.csv
  - file: members.csv
`,
        `schema:
  boundary: Site
  relations:
    MEMBER_OF: { onDelete: last-owner }
  types: { Site: {}, User: {}, Admin: {} }
`,
      ),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(r.code).toBe(0);
    expect(ent(r.snap, 'Site:acme')).toEqual({ id: 'Site:acme', type: 'Site', name: 'Acme', attributes: { seats: 12, tags: ['a', 'b'], archived: false } });
    expect(ent(r.snap, 'User:2')).toEqual({ id: 'User:2', type: 'User', name: 'Bob' });
    expect(rels(r.snap)).toEqual(['User:1 MEMBER_OF Site:acme', 'User:2 MEMBER_OF Site:acme']);
  });

  test('a mapping can still say how neo4j columns are used', () => {
    const dir = workdir({
      'nodes.csv': ':ID,title\nx,Hello\n',
      'edges.csv': ':START_ID,:END_ID\nx,x\n',
      'mapping.yaml': mappingYaml(`
  - file: nodes.csv
    format: neo4j-csv
    entity: { type: site, id: ":ID", template: "n:{:ID}", name: title }
  - file: edges.csv
    format: neo4j-csv
    relation: { type: LINKS, from: { field: ":START_ID", target: site }, to: { field: ":END_ID", target: site } }
`),
    });
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(ent(r.snap, 'n:x')).toEqual({ id: 'n:x', type: 'site', name: 'Hello' });
    expect(rels(r.snap)).toEqual(['n:x LINKS n:x']);
  });
});

describe('self-describing files', () => {
  const graphology = {
    options: { type: 'directed', multi: true, allowSelfLoops: true },
    attributes: { schema: { boundary: 'site', relations: { HOSTED_ON: { onDelete: 'cascade' } } } },
    nodes: [
      { key: 'site:a', attributes: { type: 'site', name: 'A', protected: true, region: 'us' } },
      { key: 'product:p', attributes: { type: 'product', attributes: { k: 1 } } },
    ],
    edges: [{ key: 'e0', source: 'product:p', target: 'site:a', attributes: { type: 'HOSTED_ON' } }],
  };

  test('graphology JSON loads with --graph (schema in the graph attributes) and through a mapping', () => {
    const dir = workdir({
      'graph.json': JSON.stringify(graphology, null, 2),
      'snap.ndjson': '{"schema":{"relations":{}}}\n{"id":"site:b","type":"site"}\n{"from":"product:q","type":"HOSTED_ON","to":"site:b"}\n',
      'more.json': JSON.stringify({ schema: { relations: {} }, entities: [{ id: 'product:q', type: 'product' }], relations: [] }),
      'mapping.yaml': mappingYaml(`
  - file: graph.json
    format: graphology
  - file: snap.ndjson
  - file: more.json
`),
    });
    const direct = run(['plan', 'site:a', '--graph', join(dir, 'graph.json'), '--format', 'json']);
    expect(direct.stderr).toBe('');
    const res = JSON.parse(direct.stdout) as { deleted: { id: string }[] };
    expect(res.deleted.map((d) => d.id).sort()).toEqual(['product:p', 'site:a']);
    const r = ingestIn(dir);
    expect(r.stderr).not.toContain('blastguard:');
    expect(ent(r.snap, 'site:a')).toEqual({ id: 'site:a', type: 'site', name: 'A', protected: true, attributes: { region: 'us' } });
    expect(ent(r.snap, 'product:p')).toEqual({ id: 'product:p', type: 'product', attributes: { k: 1 } });
    expect(rels(r.snap)).toEqual(['product:p HOSTED_ON site:a', 'product:q HOSTED_ON site:b']);
  });

  test('graphology JSON without a schema says how to give one', () => {
    const dir = workdir({ 'g.json': JSON.stringify({ ...graphology, attributes: {} }) });
    const r = run(['plan', 'site:a', '--graph', join(dir, 'g.json')]);
    expect(r.code).toBe(2);
    expect(problems(r)[0]).toMatch(/g\.json:\d+: attributes\.schema: graphology JSON without a schema/);
  });

  test('--graph reads the native NDJSON snapshot, gzipped too, and names the line of a bad record', () => {
    const good =
      '{"schema":{"boundary":"site","relations":{"HOSTED_ON":{"onDelete":"cascade"}}}}\n{"id":"site:a","type":"site"}\n{"from":"p","type":"HOSTED_ON","to":"site:a"}\n{"id":"p","type":"product","name":"P"}\n';
    const dir = workdir({
      'g.ndjson.gz': good,
      'bad.ndjson': good + '{"id":"q","type":"product","colour":"red"}\n{"id":"","type":"x"}\n{"from":"p","type":"NOPE","to":"site:a"}\n',
      'noschema.ndjson': '{"id":"a","type":"site"}\n',
    });
    const ok = run(['plan', 'site:a', '--graph', join(dir, 'g.ndjson.gz'), '--format', 'json']);
    expect(ok.stderr).toBe('');
    expect((JSON.parse(ok.stdout) as { deleted: { id: string }[] }).deleted.map((d) => d.id).sort()).toEqual(['p', 'site:a']);
    const bad = run(['plan', 'site:a', '--graph', join(dir, 'bad.ndjson')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(problems(bad)).toEqual([
      'bad.ndjson:5: colour: unknown field "colour"',
      'bad.ndjson:6: id: must not be empty',
      'bad.ndjson:7: type: relation type "NOPE" is not declared in schema.relations',
    ]);
    const none = run(['plan', 'a', '--graph', join(dir, 'noschema.ndjson')], { cwd: dir });
    expect(problems(none)).toEqual(['noschema.ndjson:1: the first line of an NDJSON snapshot must be {"schema": {...}}']);
  });
});
