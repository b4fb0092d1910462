// The compact engine against the graphology reference engine on randomized graphs.
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../src/engine/plan.js';
import { graphOf, outcome, randomSnapshot, rng, ruleEntities } from '../helpers/graphs.js';
import { referencePlan } from '../helpers/reference.js';

const RULES = ['protected', 'restricted', 'boundary-deleted', 'cross-boundary'];

describe('compact engine = reference engine', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);
  test.each(seeds)('random graph, seed %i', (seed) => {
    const snap = randomSnapshot(seed, 20 + (seed % 40), 30 + (seed % 120));
    const g = graphOf(snap);
    const rand = rng(seed * 7919);
    // Several queries on one graph also exercise the reuse of the stamped workspace.
    for (let q = 0; q < 4; q++) {
      const k = 1 + Math.floor(rand() * 3);
      const roots = Array.from({ length: k }, () => `e${Math.floor(rand() * snap.entities.length)}`);
      const ref = referencePlan(snap, [...new Set(roots)]);
      const got = plan(g, roots);
      expect({ seed, roots, ...outcome(got) }).toEqual({ seed, roots, deleted: ref.deleted, detached: ref.detached, spared: ref.spared });
      expect(ruleEntities(got, RULES)).toEqual(ref.violations);
    }
  });
});
