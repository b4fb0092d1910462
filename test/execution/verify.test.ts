// Approved plans (plan|check --out), their digest, and `blastguard verify`: a stale snapshot, a tampered ID list,
// a tampered plan.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, fingerprint } from '../../src/engine/fingerprint.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf } from '../helpers/graphs.js';
import { CLEANUP, INCIDENT, LEGACY_INSTALLS, readJson, run, TENANT, tmp, write } from './helpers.js';

const dir = tmp();
const planFile = join(dir, 'plan.json');
const idsFile = (name: string, ids: string[]) => write(dir, name, ids.join('\n') + '\n');
const tenant = (): Snapshot => JSON.parse(readFileSync(TENANT, 'utf8'));

beforeAll(() => {
  const r = run(['check', CLEANUP, '--graph', TENANT, '--out', planFile]);
  expect(r.code).toBe(0);
});

describe('plan --out / check --out', () => {
  test('writes the approved plan; the report still goes to stdout', () => {
    const r = run(['check', CLEANUP, '--graph', TENANT, '--out', join(dir, 'again.json')]);
    expect(r.stdout).toContain('PASS');
    expect(r.stderr).toMatch(/^blastguard: plan written to .*again\.json \(5 targets, 14 deletions, digest sha256:[0-9a-f]{64}\)\n$/);
    const p = readJson(planFile);
    expect(p.kind).toBe('blastguard-approved-plan');
    expect(p.roots).toEqual(LEGACY_INSTALLS);
    expect(p.deleted).toHaveLength(14);
    expect(p.deleted).toEqual([...p.deleted].sort());
    expect(p.snapshot).toEqual({ fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), entities: 181, relations: 214 });
    expect(p.verdict).toBe('pass');
    expect(p.mode).toBe('soft');
    // Deterministic: the same inputs give the same file, byte for byte.
    expect(readFileSync(join(dir, 'again.json'), 'utf8')).toBe(readFileSync(planFile, 'utf8'));
  });

  test('plan --out makes the same plan as check for the same targets (source aside)', () => {
    const out = join(dir, 'from-plan.json');
    expect(run(['plan', ...LEGACY_INSTALLS, '--graph', TENANT, '--out', out, '--format', 'json']).code).toBe(0);
    const a = readJson(out);
    const b = readJson(planFile);
    expect(a.roots).toEqual(b.roots);
    expect(a.deleted).toEqual(b.deleted);
    expect(a.snapshot).toEqual(b.snapshot);
    expect(a.source).toBeUndefined();
    expect(b.source).toBe(CLEANUP);
  });

  test('an unwritable --out is bad input, and no partial file is left', () => {
    const r = run(['check', CLEANUP, '--graph', TENANT, '--out', join(dir, 'no-such-dir', 'p.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write: its directory does not exist (ENOENT)');
    expect(r.stdout).toBe('');
  });
});

describe('verify', () => {
  test('exactly the approved targets: exit 0', () => {
    const ids = idsFile('ok.txt', [...LEGACY_INSTALLS].reverse());
    const r = run(['verify', '--plan', planFile, '--ids', ids, '--graph', TENANT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK  the 5 IDs are exactly the targets of the approved plan');
    expect(r.stdout).toContain('snapshot same as the plan');
  });

  test('IDs as a JSON array, and from stdin', () => {
    const json = write(dir, 'ids.json', JSON.stringify(LEGACY_INSTALLS));
    expect(run(['verify', '--plan', planFile, '--ids', json]).code).toBe(0);
    expect(run(['verify', '--plan', planFile, '--ids', '-'], { input: LEGACY_INSTALLS.join('\r\n') + '\r\n' }).code).toBe(0);
  });

  test('--scope deleted compares with every deleted entity', () => {
    const p = readJson(planFile);
    const ids = idsFile('deleted.txt', p.deleted);
    expect(run(['verify', '--plan', planFile, '--ids', ids]).code).toBe(1);
    expect(run(['verify', '--plan', planFile, '--ids', ids, '--scope', 'deleted']).code).toBe(0);
  });

  test('a tampered ID list (the 2022 incident: site IDs slipped in, an install dropped) is refused and listed', () => {
    const ids = idsFile('tampered.txt', [...LEGACY_INSTALLS.slice(1), 'site:acme-prod', 'site:globex']);
    const r = run(['verify', '--plan', planFile, '--ids', ids, '--graph', TENANT, '--format', 'json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.ok).toBe(false);
    expect(v.reasons).toEqual(['mismatch']);
    expect(v.unexpected).toEqual(['site:acme-prod', 'site:globex']);
    expect(v.missing).toEqual([LEGACY_INSTALLS[0]]);
    const human = run(['verify', '--plan', planFile, '--ids', ids]).stdout;
    expect(human).toContain('REFUSED');
    expect(human).toContain('Unexpected: in the list but not approved (2):\n  + "site:acme-prod"\n  + "site:globex"');
    expect(human).toContain(`Missing: approved but not in the list (1):\n  - "${LEGACY_INSTALLS[0]}"`);
  });

  test('duplicates and whitespace count as differences', () => {
    const ids = write(dir, 'dups.txt', [...LEGACY_INSTALLS, LEGACY_INSTALLS[2]].join('\n').replace(LEGACY_INSTALLS[4], `${LEGACY_INSTALLS[4]} `));
    const v = JSON.parse(run(['verify', '--plan', planFile, '--ids', ids, '--format', 'json']).stdout);
    expect(v.duplicates).toEqual([LEGACY_INSTALLS[2]]);
    expect(v.unexpected).toEqual([`${LEGACY_INSTALLS[4]} `]);
    expect(v.missing).toEqual([LEGACY_INSTALLS[4]]);
  });

  test('an empty ID list is refused (every approved ID missing), not an error', () => {
    const r = run(['verify', '--plan', planFile, '--ids', write(dir, 'empty.txt', '')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('5 approved IDs are missing');
  });

  test('a stale snapshot: the plan was made before one attribute changed', () => {
    const snap = tenant();
    snap.entities.find((e) => e.id === 'site:globex')!.attributes!.plan = 'enterprise';
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify(snap));
    const r = run(['verify', '--plan', planFile, '--ids', idsFile('ok2.txt', LEGACY_INSTALLS), '--graph', changed, '--format', 'json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.reasons).toEqual(['stale']);
    expect(v.fresh).toBe(false);
    expect(v.problems[0]).toMatch(/^the plan is stale: it was made on snapshot sha256:[0-9a-f]{64}, but the current snapshot is sha256:[0-9a-f]{64}$/);
    // Without --graph freshness is not checked, and the output says so.
    const unchecked = run(['verify', '--plan', planFile, '--ids', idsFile('ok3.txt', LEGACY_INSTALLS)]);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain('not checked (give --graph to detect a stale plan)');
  });

  test('the same snapshot content in another order is not stale', () => {
    const snap = tenant();
    snap.entities.reverse();
    snap.relations.reverse();
    const reordered = join(dir, 'reordered.json');
    writeFileSync(reordered, JSON.stringify(snap));
    expect(run(['verify', '--plan', planFile, '--ids', idsFile('ok4.txt', LEGACY_INSTALLS), '--graph', reordered]).code).toBe(0);
  });

  test('a tampered plan: an ID added to the approved targets is caught by the digest', () => {
    const p = readJson(planFile);
    p.roots = [...p.roots, 'site:acme-prod'].sort();
    const bad = join(dir, 'tampered-plan.json');
    writeFileSync(bad, JSON.stringify(p, null, 2));
    const ids = idsFile('with-site.txt', [...LEGACY_INSTALLS, 'site:acme-prod']);
    const r = run(['verify', '--plan', bad, '--ids', ids, '--graph', TENANT]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ the plan does not match its digest: it was edited after it was made');
    expect(r.stdout).toContain('(broken)');
  });

  test('a tampered verdict is caught too, and a failed plan is never approved', () => {
    const failed = join(dir, 'failed.json');
    expect(run(['check', INCIDENT, '--graph', TENANT, '--out', failed]).code).toBe(1);
    const p = readJson(failed);
    const ids = idsFile('incident-ids.txt', p.roots);
    const r1 = JSON.parse(run(['verify', '--plan', failed, '--ids', ids, '--format', 'json']).stdout);
    expect(r1.reasons).toEqual(['not-approved']);
    p.verdict = 'pass';
    writeFileSync(failed, JSON.stringify(p));
    const r2 = JSON.parse(run(['verify', '--plan', failed, '--ids', ids, '--format', 'json']).stdout);
    expect(r2.reasons).toEqual(['tampered']);
  });

  test('a plan file that is not a plan, or malformed, is bad input (exit 2, file and line)', () => {
    const ids = idsFile('x.txt', LEGACY_INSTALLS);
    const notPlan = write(dir, 'not-plan.json', '{"targets": []}');
    expect(run(['verify', '--plan', notPlan, '--ids', ids]).stderr).toBe(`blastguard: ${notPlan}:1: not an approved plan (write one with \`blastguard plan|check … --out FILE\`)\n`);
    const p = readJson(planFile);
    p.deleted = 'everything';
    const bad = write(dir, 'bad-plan.json', JSON.stringify(p, null, 2));
    const r = run(['verify', '--plan', bad, '--ids', ids]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^blastguard: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: deleted: must be array\\n$`));
    const broken = write(dir, 'broken.json', '{"kind": ');
    expect(run(['verify', '--plan', broken, '--ids', ids]).code).toBe(2);
  });

  test('usage errors: missing --ids, bad --wave, a wave the plan does not have', () => {
    expect(run(['verify', '--plan', planFile]).code).toBe(2);
    const ids = idsFile('y.txt', LEGACY_INSTALLS);
    const r0 = run(['verify', '--plan', planFile, '--ids', ids, '--wave', '0']);
    expect(r0.code).toBe(2);
    expect(r0.stderr).toContain('--wave must be a whole number from 1');
    const r = run(['verify', '--plan', planFile, '--ids', ids, '--wave', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the plan has no waves (make it with --waves)');
  });

  test('a malformed JSON ID list is bad input with its line', () => {
    const ids = write(dir, 'bad-ids.json', '[\n  "a",\n  42\n]');
    const r = run(['verify', '--plan', planFile, '--ids', ids]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`blastguard: ${ids}:3: [1]: must be a non-empty string\n`);
  });

  test('hostile IDs are shown quoted and escaped, never interpreted', () => {
    const ids = write(dir, 'hostile.txt', [...LEGACY_INSTALLS, '\u001b[31mred', '__proto__'].join('\n'));
    const r = run(['verify', '--plan', planFile, '--ids', ids]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('+ "\\u001b[31mred"');
    expect(r.stdout).toContain('+ "__proto__"');
  });
});

describe('fingerprint', () => {
  const base = (): Snapshot => ({
    schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' }, SEES: { onDelete: 'detach' } } },
    entities: [
      { id: 's', type: 'site', name: 'S', attributes: { region: 'eu', tier: { a: 1, b: 2 } } },
      { id: 'p', type: 'product' },
      { id: 'q', type: 'product', protected: true },
    ],
    relations: [
      { from: 'p', type: 'IN', to: 's' },
      { from: 'q', type: 'IN', to: 's' },
      { from: 'q', type: 'SEES', to: 'p' },
    ],
  });
  const fp = (s: Snapshot) => fingerprint(graphOf(s));

  test('independent of the order of entities, relations and attribute keys', () => {
    const a = base();
    const b = base();
    b.entities.reverse();
    b.relations.reverse();
    b.entities[2].attributes = { tier: { b: 2, a: 1 }, region: 'eu' };
    expect(fp(b)).toBe(fp(a));
  });

  test.each([
    ['an attribute value', (s: Snapshot) => void (s.entities[0].attributes!.region = 'us')],
    ['a nested attribute', (s: Snapshot) => void ((s.entities[0].attributes!.tier as any).a = 3)],
    ['a name', (s: Snapshot) => void (s.entities[0].name = 'T')],
    ['a type', (s: Snapshot) => void (s.entities[1].type = 'service')],
    ['the protected flag', (s: Snapshot) => void (s.entities[2].protected = false)],
    ['an added entity', (s: Snapshot) => void s.entities.push({ id: 'r', type: 'product' })],
    ['a removed relation', (s: Snapshot) => void s.relations.pop()],
    ['a duplicated relation', (s: Snapshot) => void s.relations.push({ from: 'p', type: 'IN', to: 's' })],
    ['a relation type', (s: Snapshot) => void (s.relations[2].type = 'IN')],
    ['the schema semantics', (s: Snapshot) => void (s.schema.relations.SEES.onDelete = 'cascade')],
    ['the boundary', (s: Snapshot) => void (s.schema.boundary = 'product')],
    ['a swapped relation end', (s: Snapshot) => void (s.relations[2] = { from: 'p', type: 'SEES', to: 'q' })],
  ])('changes with %s', (_what, change) => {
    const s = base();
    change(s);
    expect(fp(s)).not.toBe(fp(base()));
  });

  test('canonical JSON sorts keys at every level, whichever path it takes', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(canonicalJson({ a: 1, b: { c: [1, { e: 1, d: 2 }] } })).toBe('{"a":1,"b":{"c":[1,{"d":2,"e":1}]}}');
    // Integer-like keys come first in JS property order; canonical order is by code unit.
    expect(canonicalJson({ 10: 'x', 2: 'y', a: 'z' })).toBe('{"10":"x","2":"y","a":"z"}');
    expect(canonicalJson(JSON.parse('{"__proto__": 1, "a": 2}'))).toBe('{"__proto__":1,"a":2}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  test('no field separator ambiguity: IDs with tabs and quotes', () => {
    const a = base();
    const b = base();
    a.entities.push({ id: 'x\ty', type: 't' });
    b.entities.push({ id: 'x', type: 'y\tt' });
    expect(fp(a)).not.toBe(fp(b));
  });
});
