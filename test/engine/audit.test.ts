// The audit: blast radius tables checked against independent answers (the full plan() path and the graphology
// reference engine), and each structural risk on a small hand-built graph where the answer is obvious.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { audit, gate, type AuditFinding } from '../../src/engine/audit.js';
import { closure, plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { graphOf, randomSnapshot } from '../helpers/graphs.js';
import { referencePlan } from '../helpers/reference.js';

const sample = JSON.parse(readFileSync(new URL('../../samples/tenant.json', import.meta.url), 'utf8')) as Snapshot;
const cycleCase = JSON.parse(readFileSync(new URL('../fixtures/hand/graph-cascade-cycle.json', import.meta.url), 'utf8')) as { snapshot: Snapshot };

const ids = (fs: AuditFinding[], rule: string) =>
  fs
    .filter((f) => f.rule === rule)
    .map((f) => f.subject)
    .sort();

/** A small platform with one of every risk, and one of every non-risk that looks like one. */
function riskySnapshot(): Snapshot {
  return {
    schema: {
      boundary: 'site',
      relations: {
        PART_OF: { onDelete: 'cascade' },
        IN: { onDelete: 'cascade' },
        MEMBER_OF: { onDelete: 'last-owner' },
        LINKS: { onDelete: 'cascade' },
        LOOP: { onDelete: 'cascade' },
        NEXT_TO: { onDelete: 'none' },
        SEES: { onDelete: 'detach' },
      },
    },
    entities: [
      { id: 'org:o', type: 'org' },
      { id: 'site:a', type: 'site' },
      { id: 'site:b', type: 'site' },
      { id: 'doc:a1', type: 'doc' },
      { id: 'doc:b1', type: 'doc' },
      { id: 'link:ab', type: 'link' }, // cascade to a doc in each site: shared, and two cross-boundary relations
      { id: 'user:two', type: 'user' }, // last-owner member of both sites: spared by either alone, not a risk
      { id: 'user:pinned', type: 'user' }, // last-owner member of site a, cascade-tied to a doc of site b
      { id: 'loop:x', type: 'loop' },
      { id: 'loop:y', type: 'loop' },
      { id: 'loop:self', type: 'loop' },
      { id: 'note:1', type: 'note' }, // NEXT_TO (none) is all that ties notes to anything: no site
      { id: 'note:2', type: 'note' },
      { id: 'tool:t', type: 'tool' }, // depends on nothing: no site
    ],
    relations: [
      { from: 'site:a', type: 'PART_OF', to: 'org:o' },
      { from: 'site:b', type: 'PART_OF', to: 'org:o' },
      { from: 'doc:a1', type: 'IN', to: 'site:a' },
      { from: 'doc:b1', type: 'IN', to: 'site:b' },
      { from: 'link:ab', type: 'LINKS', to: 'doc:a1' },
      { from: 'link:ab', type: 'LINKS', to: 'doc:b1' },
      { from: 'user:two', type: 'MEMBER_OF', to: 'site:a' },
      { from: 'user:two', type: 'MEMBER_OF', to: 'site:b' },
      { from: 'user:pinned', type: 'MEMBER_OF', to: 'site:a' },
      { from: 'user:pinned', type: 'IN', to: 'doc:b1' },
      { from: 'loop:x', type: 'IN', to: 'site:a' },
      { from: 'loop:x', type: 'LOOP', to: 'loop:y' },
      { from: 'loop:y', type: 'LOOP', to: 'loop:x' },
      { from: 'loop:self', type: 'IN', to: 'site:b' },
      { from: 'loop:self', type: 'LOOP', to: 'loop:self' },
      { from: 'note:1', type: 'NEXT_TO', to: 'doc:a1' },
      { from: 'note:2', type: 'NEXT_TO', to: 'doc:b1' },
      { from: 'note:2', type: 'SEES', to: 'doc:a1' },
      { from: 'tool:t', type: 'SEES', to: 'doc:a1' },
    ],
  };
}

describe('audit: blast radius', () => {
  test('every site row equals the full plan of deleting that site alone', () => {
    const g = graphOf(sample);
    const r = audit(g);
    const siteIds = sample.entities.filter((e) => e.type === 'site').map((e) => e.id);
    expect(r.sites.map((s) => s.id).sort()).toEqual([...siteIds].sort());
    for (const row of r.sites) {
      const p = plan(g, [row.id], { intent: { allowBoundaryDeletion: true } });
      expect({ id: row.id, deleted: row.deleted, byType: row.byType }).toEqual({ id: row.id, deleted: p.summary.deleted, byType: { ...p.summary.byType } });
      expect(row.otherSites).toBe(p.summary.sites.filter((s) => s.id !== row.id).length);
      expect(row.shared).toBe(p.deleted.filter((d) => d.id !== row.id && d.sites.length >= 2).length);
    }
    // Sorted by size, largest first.
    expect(r.sites.map((s) => s.deleted)).toEqual([...r.sites.map((s) => s.deleted)].sort((a, b) => b - a));
  });

  test('per-type largest, median and p95 equal those of planning every entity of the type', () => {
    const g = graphOf(sample);
    const r = audit(g);
    for (const row of r.types) {
      const sizes = sample.entities
        .filter((e) => e.type === row.type)
        .map((e) => plan(g, [e.id]).summary.deleted)
        .sort((a, b) => a - b);
      const pct = (p: number) => sizes[Math.ceil(p * sizes.length) - 1];
      expect({ type: row.type, entities: row.entities, largest: row.largest.deleted, median: row.median, p95: row.p95 }).toEqual({
        type: row.type,
        entities: sizes.length,
        largest: sizes[sizes.length - 1],
        median: pct(0.5),
        p95: pct(0.95),
      });
      expect(plan(g, [row.largest.id]).summary.deleted).toBe(row.largest.deleted);
    }
    const org = r.types.find((t) => t.type === 'organization')!;
    // Acme has three sites: deleting it deletes all three.
    expect(org.largest.id).toBe('organization:acme');
    expect(org.largest.sitesDeleted).toBe(sample.relations.filter((x) => x.type === 'PART_OF' && x.to === 'organization:acme').length);
  });

  test('on random graphs, each site radius equals the reference engine', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const snap = randomSnapshot(seed, 30, 80);
      const r = audit(graphOf(snap));
      for (const row of r.sites)
        expect({ seed, site: row.id, n: row.deleted }).toEqual({ seed, site: row.id, n: referencePlan(snap, [row.id]).deleted.length });
      for (const t of r.types)
        expect({ seed, id: t.largest.id, n: t.largest.deleted }).toEqual({ seed, id: t.largest.id, n: referencePlan(snap, [t.largest.id]).deleted.length });
    }
  });

  test('the work cap measures a spread sample and says so', () => {
    const g = graphOf(sample);
    const r = audit(g, { maxRootsPerType: 4 });
    const issues = r.types.find((t) => t.type === 'issue')!;
    expect(issues.entities).toBe(sample.entities.filter((e) => e.type === 'issue').length);
    expect(issues.measured).toBe(4);
  });

  test('closure() is the deleted set of plan()', () => {
    const g = graphOf(sample);
    for (const id of ['site:globex', 'organization:initech', 'user:jane.doe@acme.com']) {
      const c = closure(g, [g.indexOf(id)]);
      const ids = Array.from(c.members, (x) => g.idOf(x)).sort();
      expect(ids).toEqual(
        plan(g, [id])
          .deleted.map((d) => d.id)
          .sort(),
      );
    }
  });
});

describe('audit: structural risks', () => {
  const g = graphOf(riskySnapshot());
  const r = audit(g);

  test('cross-boundary-relation: cascade relations into two sites, and a last-owner relation only where its owners are inside', () => {
    expect(ids(r.findings, 'cross-boundary-relation')).toEqual([
      'link:ab LINKS doc:a1',
      'link:ab LINKS doc:b1',
      // user:pinned also belongs to site:b through doc:b1; its only owner is site:a, so deleting site:a deletes it.
      'user:pinned IN doc:b1',
      'user:pinned MEMBER_OF site:a',
    ]);
    const f = r.findings.find((x) => x.subject === 'link:ab LINKS doc:a1')!;
    expect(f.relations).toEqual([{ from: 'link:ab', type: 'LINKS', to: 'doc:a1', onDelete: 'cascade' }]);
  });

  test('shared-entity: what one site alone deletes though it belongs to another too', () => {
    expect(ids(r.findings, 'shared-entity')).toEqual(['link:ab', 'user:pinned']);
    const link = r.findings.find((x) => x.rule === 'shared-entity' && x.subject === 'link:ab')!;
    expect(link.entities[0].sites.sort()).toEqual(['site:a', 'site:b']);
    expect(link.relations.map((x) => x.to).sort()).toEqual(['doc:a1', 'doc:b1']);
    // user:two is spared by either site alone: not shared-deleted.
    expect(r.findings.some((x) => x.entities.some((e) => e.id === 'user:two'))).toBe(false);
  });

  test('boundary-deletable: the org that deletes both sites, with the relation', () => {
    expect(ids(r.findings, 'boundary-deletable')).toEqual(['site:a PART_OF org:o', 'site:b PART_OF org:o']);
  });

  test('cascade-cycle: the two-entity loop and the self-loop, with the relations inside', () => {
    const cycles = r.findings.filter((x) => x.rule === 'cascade-cycle');
    expect(cycles.map((c) => c.entities.map((e) => e.id))).toEqual(expect.arrayContaining([['loop:x', 'loop:y'], ['loop:self']]));
    expect(cycles).toHaveLength(2);
    const xy = cycles.find((c) => c.entities.length === 2)!;
    expect(xy.relations.map((x) => `${x.from}>${x.to}`).sort()).toEqual(['loop:x>loop:y', 'loop:y>loop:x']);
  });

  test('cascade-cycle on the hand fixture: the three folders', () => {
    const c = audit(graphOf(cycleCase.snapshot)).findings.filter((x) => x.rule === 'cascade-cycle');
    expect(c.map((x) => x.entities.map((e) => e.id))).toEqual([['folder:a', 'folder:b', 'folder:c']]);
  });

  test('no-site: global entities, not the org above the sites', () => {
    expect(ids(r.findings, 'no-site')).toEqual(['note:1', 'note:2', 'tool:t']);
  });

  test('none-structure: NEXT_TO is most of what leaves a note', () => {
    expect(ids(r.findings, 'none-structure')).toEqual(['NEXT_TO from note']);
  });

  test('counts add up and fingerprints are stable and distinct', () => {
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(r.findings.length);
    const again = audit(graphOf(riskySnapshot()));
    expect(again.findings.map((f) => f.fingerprint)).toEqual(r.findings.map((f) => f.fingerprint));
    expect(new Set(r.findings.map((f) => f.fingerprint)).size).toBe(r.findings.length);
    for (const f of r.findings) expect(f.fingerprint).toMatch(new RegExp(`^${f.rule}:[0-9a-f]{16}$`));
  });

  test('the sample tenant: the acme-prod↔acme-eu connection, the orgs above their sites, no cycle', () => {
    const s = audit(graphOf(sample));
    expect(ids(s.findings, 'shared-entity')).toEqual(['connection:acme-prod/jira-software~acme-eu/confluence']);
    expect(ids(s.findings, 'boundary-deletable')).toHaveLength(sample.entities.filter((e) => e.type === 'site').length);
    expect(s.counts['cascade-cycle']).toBe(0);
    // Multi-site users are members through last-owner: never a cross-boundary relation.
    expect(s.findings.filter((f) => f.rule === 'cross-boundary-relation' && f.subject.includes('MEMBER_OF'))).toEqual([]);
  });

  test('a graph without the boundary type says so once', () => {
    const snap = riskySnapshot();
    snap.schema.boundary = 'tenant';
    const n = audit(graphOf(snap));
    expect(n.findings.filter((f) => f.rule === 'no-site')).toHaveLength(1);
    expect(n.sites).toEqual([]);
  });
});

describe('audit: gate and baseline', () => {
  const r = audit(graphOf(riskySnapshot()));

  test('no failOn rules: pass whatever the findings', () => {
    expect(gate(r, []).gate!.verdict).toBe('pass');
  });

  test('a failOn rule with findings fails; accepting them all passes; stale entries are listed', () => {
    const failing = gate(r, ['cascade-cycle', 'shared-entity']);
    expect(failing.gate!.verdict).toBe('fail');
    expect(failing.gate!.failing).toBe(r.counts['cascade-cycle'] + r.counts['shared-entity']);
    const accepted = new Set(r.findings.filter((f) => f.rule === 'cascade-cycle' || f.rule === 'shared-entity').map((f) => f.fingerprint));
    accepted.add('cascade-cycle:0000000000000000');
    const passing = gate(r, ['cascade-cycle', 'shared-entity'], accepted);
    expect(passing.gate).toMatchObject({ verdict: 'pass', failing: 0, accepted: accepted.size - 1, stale: ['cascade-cycle:0000000000000000'] });
    expect(passing.findings.filter((f) => f.accepted).length).toBe(accepted.size - 1);
  });

  test('a new finding after the baseline fails the gate', () => {
    const accepted = new Set(r.findings.map((f) => f.fingerprint));
    const snap = riskySnapshot();
    snap.entities.push({ id: 'loop:z', type: 'loop' });
    snap.relations.push({ from: 'loop:z', type: 'LOOP', to: 'loop:z' }, { from: 'loop:z', type: 'IN', to: 'site:a' });
    const next = gate(audit(graphOf(snap)), ['cascade-cycle'], accepted);
    expect(next.gate!.failing).toBe(1);
    expect(next.findings.filter((f) => f.rule === 'cascade-cycle' && !f.accepted).map((f) => f.subject)).toEqual(['loop:z']);
  });
});
