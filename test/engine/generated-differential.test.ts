// The compact engine against the graphology reference engine on small generated tenants: realistic shapes
// (shared users, cross-site connections, app installs, protected sites and policies) rather than random ones.
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import { reverseReach } from '../../src/engine/reach.js';
import { generateTenant, isRelation, TENANT_SCHEMA } from '../../src/generate/tenant.js';
import type { Entity, Relation, Snapshot } from '../../src/model/types.js';
import { graphOf, outcome, rng, ruleEntities } from '../helpers/graphs.js';
import { referencePlan } from '../helpers/reference.js';

const RULES = ['protected', 'restricted', 'boundary-deleted', 'cross-boundary'];

function tenant(seed: number): Snapshot {
  const entities: Entity[] = [];
  const relations: Relation[] = [];
  for (const r of generateTenant({ sites: 4, seed, scale: 0.04 })) (isRelation(r) ? relations : entities).push(r as never);
  return { schema: TENANT_SCHEMA, entities, relations };
}

describe('compact engine = reference engine on generated tenants', () => {
  const rulesSeen = new Set<string>();
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('tenant seed %i', (seed) => {
    const snap = tenant(seed);
    expect(snap.entities.length).toBeGreaterThan(100);
    expect(snap.entities.length).toBeLessThan(1500);
    const g = graphOf(snap);
    const ofType = (t: string) => snap.entities.filter((e) => e.type === t).map((e) => e.id);
    const rand = rng(seed);
    const some = (ids: string[], k: number) => Array.from({ length: Math.min(k, ids.length) }, () => ids[Math.floor(rand() * ids.length)]);
    // Every site and organization alone, then mixes of the kinds of target a maintenance script is handed.
    const queries: string[][] = [...ofType('site').map((s) => [s]), ...ofType('organization').map((o) => [o])];
    for (let k = 0; k < 6; k++) {
      queries.push(some(ofType('app-install'), 5), some(ofType('user'), 4), [...some(ofType('product'), 2), ...some(ofType('project'), 2)]);
      queries.push([...some(ofType('app'), 1), ...some(ofType('page'), 3), ...some(ofType('issue'), 3)]);
    }
    for (const roots of queries) {
      const unique = [...new Set(roots)];
      const ref = referencePlan(snap, unique);
      const got = plan(g, unique);
      expect({ seed, roots: unique, ...outcome(got) }).toEqual({ seed, roots: unique, deleted: ref.deleted, detached: ref.detached, spared: ref.spared });
      expect(ruleEntities(got, RULES)).toEqual(ref.violations);
      // A summary plan: the same verdict, violations and counts, without the entity lists and order.
      const summary = plan(g, unique, { detail: 'summary' });
      expect(summary).toEqual({ ...got, deleted: [], detached: [], spared: [], order: { delete: [], restore: [] }, detail: 'summary' });
      for (const v of got.violations) rulesSeen.add(v.rule);
      if (got.spared.length) rulesSeen.add('(spared)');
      if (got.detached.length) rulesSeen.add('(detached)');
    }
  });
  test('the queries exercised every rule the tenants can break', () => {
    expect([...rulesSeen].sort()).toEqual(['(detached)', '(spared)', 'boundary-deleted', 'cross-boundary', 'protected', 'restricted']);
  });
});

describe('reverseReach', () => {
  test('is the cascade closure, counted', () => {
    const snap = tenant(7);
    const g = graphOf(snap);
    const cascade = new Set(
      Object.entries(TENANT_SCHEMA.relations)
        .filter(([, v]) => v.onDelete === 'cascade')
        .map(([k]) => k),
    );
    for (const root of snap.entities.filter((e) => e.type === 'organization' || e.type === 'site').map((e) => e.id)) {
      // Straightforward fixpoint over the relation list.
      const reached = new Set([root]);
      let followed = 0;
      for (let changed = true; changed;) {
        changed = false;
        for (const r of snap.relations) {
          if (cascade.has(r.type) && reached.has(r.to) && !reached.has(r.from)) {
            reached.add(r.from);
            changed = true;
          }
        }
      }
      for (const r of snap.relations) if (cascade.has(r.type) && reached.has(r.to)) followed++;
      expect({ root, ...reverseReach(g, [root]) }).toEqual({ root, entities: reached.size, relations: followed });
    }
    expect(reverseReach(g, ['no such entity'])).toEqual({ entities: 0, relations: 0 });
  });
});
