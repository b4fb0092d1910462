// Bad input gets one clear line naming file, line and field, exit 2, and no stack trace unless --debug.
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { MANIFESTS, SAMPLE, hasStack, run, tmpFiles } from '../helpers/cli.js';

const schema = { boundary: 'site', relations: { PART_OF: { onDelete: 'cascade' } } };
const snapshot = (body: object) => JSON.stringify({ schema, entities: [], relations: [], ...body }, null, 2);

function expectInputError(args: string[], pattern: RegExp) {
  const r = run(args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const first = r.stderr.split('\n')[0];
  expect(first).toMatch(pattern);
  expect(hasStack(r.stderr)).toBe(false);
  return r;
}

describe('bad graph files', () => {
  test('a missing file', () => {
    expectInputError(['plan', 'x', '-g', '/nonexistent/graph.json'], /^blastguard: \/nonexistent\/graph\.json: file not found$/);
  });
  test('a file that does not parse names the line', () => {
    const dir = tmpFiles({ 'g.json': '{\n  "schema": {"relations": {}},\n  "entities": [\n    {"id": "a",}\n  ]\n}\n' });
    expectInputError(['plan', 'x', '-g', join(dir, 'g.json')], /g\.json:4: not valid JSON/);
  });
  test('an empty file', () => {
    const dir = tmpFiles({ 'g.json': '' });
    expectInputError(['plan', 'x', '-g', join(dir, 'g.json')], /g\.json:1: file is empty/);
  });
  test('a duplicate ID names both places', () => {
    const dir = tmpFiles({
      'g.json': snapshot({
        entities: [
          { id: 'site:a', type: 'site' },
          { id: 'p', type: 'product' },
          { id: 'site:a', type: 'site' },
        ],
      }),
    });
    const r = expectInputError(
      ['plan', 'x', '-g', join(dir, 'g.json')],
      /g\.json:\d+: entities\[2\]\.id: duplicate ID "site:a" \(first defined at .*g\.json:\d+\)/,
    );
    const [, line] = /g\.json:(\d+):/.exec(r.stderr)!;
    expect(Number(line)).toBeGreaterThan(10);
  });
  test('a relation to a missing entity names the relation field', () => {
    const dir = tmpFiles({ 'g.json': snapshot({ entities: [{ id: 'p', type: 'product' }], relations: [{ from: 'p', type: 'PART_OF', to: 'site:gone' }] }) });
    expectInputError(['plan', 'p', '-g', join(dir, 'g.json')], /g\.json:\d+: to: references missing entity "site:gone"/);
  });
  test('an unknown relation type is an input error, not a silent none', () => {
    const dir = tmpFiles({
      'g.json': snapshot({
        entities: [
          { id: 'a', type: 't' },
          { id: 'b', type: 't' },
        ],
        relations: [{ from: 'a', type: 'OWNS', to: 'b' }],
      }),
    });
    expectInputError(['plan', 'a', '-g', join(dir, 'g.json')], /relations\[0\]\.type: relation type "OWNS" is not declared in schema\.relations/);
  });
  test('an unknown onDelete value', () => {
    const dir = tmpFiles({ 'g.json': JSON.stringify({ schema: { relations: { PART_OF: { onDelete: 'explode' } } }, entities: [], relations: [] }, null, 2) });
    expectInputError(
      ['plan', 'a', '-g', join(dir, 'g.json')],
      /g\.json:\d+: schema\.relations\.PART_OF\.onDelete: must be one of "cascade", "last-owner", "detach", "restrict", "protect", "none"/,
    );
  });
  test('a missing required field and an unknown field', () => {
    const dir = tmpFiles({ 'g.json': snapshot({ entities: [{ type: 'site' }, { id: 'b', type: 'site', colour: 'red' }] }) });
    const r = expectInputError(['plan', 'a', '-g', join(dir, 'g.json')], /entities\[0\]\.id: missing required field "id"/);
    expect(r.stderr).toMatch(/entities\[1\]\.colour: unknown field "colour"/);
  });
  test('many problems: at most 20 listed, then "… and N more"', () => {
    const relations = Array.from({ length: 30 }, (_, i) => ({ from: `ghost${i}`, type: 'PART_OF', to: 'nobody' }));
    const dir = tmpFiles({ 'g.json': snapshot({ relations }) });
    const r = run(['plan', 'a', '-g', join(dir, 'g.json')]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/… and \d+ more/);
  });
  test('--debug shows the stack trace', () => {
    const r = run(['plan', 'x', '-g', '/nonexistent/graph.json', '--debug']);
    expect(r.code).toBe(2);
    expect(hasStack(r.stderr)).toBe(true);
  });
  test('a directory instead of a file', () => {
    const dir = tmpFiles();
    expectInputError(['plan', 'x', '-g', dir], /is a directory/);
  });
  test('a file that is not gzip despite .gz', () => {
    const dir = tmpFiles({ 'g.json.gz': Buffer.from('plain text') });
    expectInputError(['plan', 'x', '-g', join(dir, 'g.json.gz')], /not valid gzip data/);
  });
});

describe('bad manifests', () => {
  test('a typo in a field name is caught, with its line', () => {
    const dir = tmpFiles({ 'm.yaml': 'description: cleanup\ntarget:\n  - app-install:x\n' });
    const r = expectInputError(
      ['check', join(dir, 'm.yaml'), '-g', SAMPLE],
      /m\.yaml:\d+: (target: unknown field "target"|targets: missing required field "targets")/,
    );
    expect(r.stderr).toMatch(/m\.yaml:2: target: unknown field "target"/);
  });
  test('YAML that does not parse names the line', () => {
    const dir = tmpFiles({ 'm.yaml': 'targets:\n  - a\n  b: [\n' });
    expectInputError(['check', join(dir, 'm.yaml'), '-g', SAMPLE], /m\.yaml:\d+: not valid YAML/);
  });
  test('a target of the wrong type names its line', () => {
    const dir = tmpFiles({ 'm.yaml': 'targets:\n  - a\n  - 42\nlimits:\n  maxDeleted: lots\n' });
    const r = expectInputError(['check', join(dir, 'm.yaml'), '-g', SAMPLE], /m\.yaml:3: targets\[1\]: must be string/);
    expect(r.stderr).toMatch(/m\.yaml:5: limits\.maxDeleted: must be integer/);
  });
  test('a missing manifest', () => {
    expectInputError(['check', join(MANIFESTS, 'nope.yaml'), '-g', SAMPLE], /nope\.yaml: file not found/);
  });
  test('an empty manifest', () => {
    const dir = tmpFiles({ 'm.yaml': '\n' });
    expectInputError(['check', join(dir, 'm.yaml'), '-g', SAMPLE], /m\.yaml:1: file is empty/);
  });
});

describe('hostile input', () => {
  test('__proto__ and constructor as IDs and type names are plain data', () => {
    const dir = tmpFiles({
      'g.json': JSON.stringify({
        schema: { relations: { constructor: { onDelete: 'cascade' } } },
        entities: [
          { id: '__proto__', type: 'site', name: 'proto' },
          { id: 'constructor', type: '__proto__' },
        ],
        relations: [{ from: 'constructor', type: 'constructor', to: '__proto__' }],
      }),
    });
    const r = run(['plan', '__proto__', '-g', join(dir, 'g.json'), '-f', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.deleted.map((d: { id: string }) => d.id)).toEqual(['__proto__', 'constructor']);
    expect(Object.keys(j.summary.byType).sort()).toEqual(['__proto__', 'site']);
  });
  test('a relation type named like an Object.prototype member is still unknown', () => {
    const dir = tmpFiles({ 'g.json': snapshot({ entities: [{ id: 'a', type: 't' }], relations: [{ from: 'a', type: 'toString', to: 'a' }] }) });
    expectInputError(['plan', 'a', '-g', join(dir, 'g.json')], /relation type "toString" is not declared/);
  });
  test('markup in a name is escaped in markdown; terminal escapes are shown, not interpreted', () => {
    const dir = tmpFiles({
      'g.json': snapshot({ entities: [{ id: 'site:x', type: 'site', name: '<img src=x onerror=alert(1)> \u001b[31mred\u001b[0m | pipe' }] }),
    });
    const md = run(['plan', 'site:x', '-g', join(dir, 'g.json'), '-f', 'markdown']).stdout;
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(md).not.toContain('\u001b');
    const human = run(['plan', 'site:x', '-g', join(dir, 'g.json')]).stdout;
    expect(human).not.toContain('\u001b');
    expect(human).toContain('\\u001b[31mred');
  });
});
