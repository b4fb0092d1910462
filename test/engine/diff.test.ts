// The diff of two snapshots: a schema change on the sample tenant whose effect can be counted from the data.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { diff, growthGate } from '../../src/engine/diff.js';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf } from '../helpers/graphs.js';

const sample = JSON.parse(readFileSync(new URL('../../samples/tenant.json', import.meta.url), 'utf8')) as Snapshot;

function withMemberOf(onDelete: 'cascade' | 'last-owner'): Snapshot {
  const s = structuredClone(sample);
  s.schema.relations.MEMBER_OF = { ...s.schema.relations.MEMBER_OF, onDelete };
  return s;
}

/** Users that are members of two or more sites (counted from the relations, not by any engine). */
function multiSiteUsers(s: Snapshot): string[] {
  const sites = new Map<string, Set<string>>();
  for (const r of s.relations) {
    if (r.type !== 'MEMBER_OF') continue;
    let set = sites.get(r.from);
    if (!set) sites.set(r.from, (set = new Set()));
    set.add(r.to);
  }
  return [...sites].filter(([, set]) => set.size >= 2).map(([u]) => u);
}

describe('diff', () => {
  const before = graphOf(sample);
  const after = graphOf(withMemberOf('cascade'));
  const d = diff(before, after);
  const users = multiSiteUsers(sample);

  test('MEMBER_OF: last-owner → cascade names the multi-site users it makes deletable by one site', () => {
    expect(users.length).toBeGreaterThan(1);
    expect(d.onDelete).toHaveLength(1);
    const c = d.onDelete[0];
    expect(c).toMatchObject({ type: 'MEMBER_OF', before: 'last-owner', after: 'cascade' });
    expect(c.newlyDeletable).toEqual({ user: users.length });
    expect(c.noLongerDeletable).toEqual({});
    expect(c.message).toBe(`MEMBER_OF: last-owner → cascade makes deletable by deleting a single site entity: user: ${users.length}`);
    // Their API tokens come along (ISSUED_TO is cascade), without being attributed to MEMBER_OF.
    const tokens = sample.relations.filter((r) => r.type === 'ISSUED_TO' && users.includes(r.to)).length;
    expect(d.deletable.added).toEqual(tokens ? { user: users.length, 'api-token': tokens } : { user: users.length });
  });

  test("each site's radius is the plan of deleting it, before and after", () => {
    for (const s of d.sites) {
      const b = plan(before, [s.id]).summary.deleted;
      const a = plan(after, [s.id]).summary.deleted;
      expect({ id: s.id, before: s.before, after: s.after, delta: s.delta }).toEqual({ id: s.id, before: b, after: a, delta: a - b });
      expect(s.growthPct).toBeCloseTo(((a - b) / b) * 100, 1);
    }
    // Every site gains exactly its multi-site members (and their tokens).
    const acmeEu = d.sites.find((s) => s.id === 'site:acme-eu')!;
    const members = sample.relations.filter((r) => r.type === 'MEMBER_OF' && r.to === 'site:acme-eu' && users.includes(r.from)).map((r) => r.from);
    const tokens = sample.relations.filter((r) => r.type === 'ISSUED_TO' && members.includes(r.to)).length;
    expect(acmeEu.delta).toBe(members.length + tokens);
  });

  test('new risks: every multi-site user becomes a shared entity', () => {
    const shared = d.findings.added
      .filter((f) => f.rule === 'shared-entity' && f.entities[0].type === 'user')
      .map((f) => f.subject)
      .sort();
    expect(shared).toEqual([...users].sort());
    expect(d.findings.removed).toEqual([]);
  });

  test('the reverse change makes them no longer deletable, and removes the risks', () => {
    const back = diff(after, before);
    expect(back.onDelete[0].noLongerDeletable).toEqual({ user: users.length });
    expect(back.findings.removed.length).toBe(d.findings.added.length);
    expect(back.sites.every((s) => s.delta <= 0)).toBe(true);
  });

  test('--fail-on-growth: fails exactly the sites above the threshold', () => {
    const threshold = 20;
    const gated = growthGate(d, threshold);
    const expected = d.sites.filter((s) => s.growthPct! > threshold).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(gated.gate).toEqual({ failOnGrowth: threshold, failing: expected, verdict: 'fail' });
    expect(growthGate(d, 1000).gate!.verdict).toBe('pass');
  });

  test('a site that appears or disappears is listed as new or removed, not as growth', () => {
    const s = structuredClone(sample);
    s.entities.push({ id: 'site:new', type: 'site' });
    const added = diff(before, graphOf(s));
    const row = added.sites.find((x) => x.id === 'site:new')!;
    expect(row).toMatchObject({ before: null, after: 1, growthPct: null });
    expect(diff(graphOf(s), before).sites.find((x) => x.id === 'site:new')).toMatchObject({ before: 1, after: null });
  });

  test('identical snapshots: nothing changes', () => {
    const same = diff(before, graphOf(sample));
    expect(same.onDelete).toEqual([]);
    expect(same.findings.added).toEqual([]);
    expect(same.unchangedSites).toBe(same.sites.length);
    expect(same.maxGrowth).toBeNull();
  });
});
