// Per-root boundaries (rule root-boundary): each target's own closure must stay inside its own sites, even when
// the targets taken together cover every site the deletion reaches.
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf, randomSnapshot, rng } from '../helpers/graphs.js';
import { referencePlan } from '../helpers/reference.js';
import { run, TENANT } from './helpers.js';

const CONNECTION = 'connection:acme-prod/jira-software~acme-eu/confluence';

describe('root-boundary on the sample tenant (CLI)', () => {
  test('each product alone crosses into the other site through the connection: cross-boundary', () => {
    const r = run(['plan', 'product:acme-prod/jira-software', '--graph', TENANT, '--format', 'json']);
    const rules = JSON.parse(r.stdout).violations.map((v: any) => `${v.rule}|${v.entity}`);
    expect(rules).toEqual([`cross-boundary|${CONNECTION}`]);
  });

  test('both products together hide it from cross-boundary, but not from root-boundary', () => {
    const r = run(['plan', 'product:acme-prod/jira-software', 'product:acme-eu/confluence', '--graph', TENANT, '--format', 'json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.violations.map((v: any) => `${v.rule}|${v.entity}`)).toEqual([`root-boundary|${CONNECTION}`]);
    const v = result.violations[0];
    // The chain proves it from the root that reaches it on its own.
    expect(v.chain.map((l: any) => l.id)).toEqual(['product:acme-prod/jira-software', CONNECTION]);
    expect(v.message).toContain('target product:acme-prod/jira-software (Jira Software) (in site:acme-prod');
    expect(v.message).toContain('would cross into site:acme-eu');
  });

  test('deleting two sites with shared users: the connection is flagged, the shared users are not', () => {
    const r = run(['plan', 'site:acme-prod', 'site:acme-eu', '--allow-boundary-deletion', '--graph', TENANT, '--format', 'json']);
    const result = JSON.parse(r.stdout);
    // jane.doe is a member of exactly these two sites: deleted only because both go, so in neither site's own closure.
    expect(result.deleted.map((d: any) => d.id)).toContain('user:jane.doe@acme.com');
    expect(result.violations.filter((v: any) => v.rule === 'root-boundary').map((v: any) => v.entity)).toEqual([CONNECTION]);
  });

  test('the human report explains the rule', () => {
    const r = run(['plan', 'product:acme-prod/jira-software', 'product:acme-eu/confluence', '--graph', TENANT]);
    expect(r.stdout).toContain('✖ root-boundary');
    expect(r.stdout).toContain('FAIL');
  });
});

describe('root-boundary cost and reporting', () => {
  test('many roots sharing one closure: the entity where it leaves the sites is reported once, not what hangs below it', () => {
    const k = 60;
    const relations: Snapshot['relations'] = [];
    const entities: Snapshot['entities'] = [
      { id: 'hub', type: 'x' },
      { id: 'below', type: 'x' },
      { id: 'deeper', type: 'x' },
    ];
    for (let i = 0; i < k; i++) {
      entities.push({ id: `s${i}`, type: 'site' }, { id: `r${i}`, type: 'product' });
      relations.push({ from: `r${i}`, type: 'IN', to: `s${i}` }, { from: 'hub', type: 'IN', to: `r${i}` });
    }
    relations.push({ from: 'below', type: 'IN', to: 'hub' }, { from: 'deeper', type: 'IN', to: 'below' });
    const g = graphOf({ schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } }, entities, relations });
    const result = plan(
      g,
      Array.from({ length: k }, (_, i) => `r${i}`),
    );
    expect(result.summary.deleted).toBe(k + 3);
    // Together the roots cover every site of hub, below and deeper: no cross-boundary.
    expect(result.violations.filter((v) => v.rule === 'cross-boundary')).toEqual([]);
    expect(result.violations.map((v) => `${v.rule}|${v.entity}`)).toEqual(['root-boundary|hub']);
  });

  test('a root with no site reaching site-bound entities is already cross-boundary; it is not reported twice', () => {
    const g = graphOf({
      schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
      entities: [
        { id: 'org', type: 'org' },
        { id: 's', type: 'site' },
        { id: 'p', type: 'product' },
      ],
      relations: [
        { from: 'p', type: 'IN', to: 's' },
        { from: 's', type: 'IN', to: 'org' },
      ],
    });
    const rules = plan(g, ['org'], { intent: { allowBoundaryDeletion: true } }).violations.map((v) => `${v.rule}|${v.entity}`);
    expect(rules).toEqual(['cross-boundary|s', 'cross-boundary|p']);
  });
});

/**
 * Reference for root-boundary, written as a fixpoint over plain sets (see src/engine/root-boundary.ts for the
 * definition): per group of roots with the same sites, grow the group's own closure inside the joint deletion,
 * expanding only entities inside the group's sites; report reached entities outside them, minus cross-boundary.
 */
function referenceRootBoundary(snap: Snapshot, roots: string[]): string[] {
  const sem = (t: string) => snap.schema.relations[t].onDelete;
  const own = (t: string) => sem(t) === 'cascade' || sem(t) === 'last-owner';
  const types = new Map(snap.entities.map((e) => [e.id, e.type]));
  const out = new Map<string, { type: string; to: string }[]>();
  for (const e of snap.entities) out.set(e.id, []);
  for (const r of snap.relations) out.get(r.from)!.push({ type: r.type, to: r.to });
  const sitesOf = (id: string): string[] => {
    const found = new Set<string>();
    const seen = new Set([id]);
    const stack = [id];
    while (stack.length) {
      const x = stack.pop()!;
      if (types.get(x) === (snap.schema.boundary ?? 'site')) {
        found.add(x);
        continue;
      }
      for (const r of out.get(x)!)
        if (own(r.type) && !seen.has(r.to)) {
          seen.add(r.to);
          stack.push(r.to);
        }
    }
    return [...found].sort();
  };
  const ref = referencePlan(snap, roots);
  const deleted = new Set(ref.deleted);
  const crossed = new Set(ref.violations.filter((v) => v.startsWith('cross-boundary|')).map((v) => v.slice('cross-boundary|'.length)));
  const groups = new Map<string, string[]>();
  for (const r of new Set(roots)) {
    if (!types.has(r)) continue;
    const key = sitesOf(r).join('\n');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const reported = new Set<string>();
  for (const [key, members] of groups) {
    const allowed = new Set(key === '' ? [] : key.split('\n'));
    const inside = (id: string) => sitesOf(id).every((s) => allowed.has(s));
    const reached = new Set(members);
    const expanded = () => new Set([...reached].filter((id) => members.includes(id) || inside(id)));
    let changed = true;
    while (changed) {
      changed = false;
      const ex = expanded();
      for (const f of deleted) {
        if (reached.has(f)) continue;
        const rels = out.get(f)!;
        const cascade = rels.some((r) => sem(r.type) === 'cascade' && ex.has(r.to));
        const owners = rels.filter((r) => sem(r.type) === 'last-owner');
        if (cascade || (owners.length > 0 && owners.every((r) => ex.has(r.to)))) {
          reached.add(f);
          changed = true;
        }
      }
    }
    for (const id of reached) if (!inside(id) && !crossed.has(id)) reported.add(id);
  }
  return [...reported].sort();
}

describe('root-boundary = reference on random graphs', () => {
  const seeds = Array.from({ length: 150 }, (_, i) => i + 1);
  let fired = 0;
  test.each(seeds)('seed %i', (seed) => {
    const snap = randomSnapshot(seed * 31, 20 + (seed % 30), 30 + (seed % 90));
    const g = graphOf(snap);
    const rand = rng(seed * 104729);
    for (let q = 0; q < 4; q++) {
      const k = 2 + Math.floor(rand() * 4);
      const roots = [...new Set(Array.from({ length: k }, () => `e${Math.floor(rand() * snap.entities.length)}`))];
      const got = plan(g, roots)
        .violations.filter((v) => v.rule === 'root-boundary')
        .map((v) => v.entity!)
        .sort();
      if (got.length) fired++;
      expect({ seed, roots, got }).toEqual({ seed, roots, got: referenceRootBoundary(snap, roots) });
    }
  });
  test('the rule fired in a fair share of the random cases (so the comparison means something)', () => {
    expect(fired).toBeGreaterThan(20);
  });
});
