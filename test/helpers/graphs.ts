// Test helpers: build graphs from snapshots, summarise plans as sorted sets, and generate random graphs.
import { buildSnapshot } from '../../src/ingest/snapshot.js';
import type { OnDelete, Snapshot } from '../../src/model/types.js';
import type { PlanResult } from '../../src/engine/result.js';

export const graphOf = (snap: Snapshot) => buildSnapshot(snap, 'test');

export function outcome(r: PlanResult) {
  return {
    deleted: r.deleted.map((d) => d.id).sort(),
    detached: r.detached.map((d) => d.id).sort(),
    spared: r.spared.map((d) => d.id).sort(),
  };
}

export function ruleEntities(r: PlanResult, rules: string[]): string[] {
  return [...new Set(r.violations.filter((v) => rules.includes(v.rule)).map((v) => `${v.rule}|${v.entity}`))].sort();
}

/** Small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEMANTICS: OnDelete[] = ['cascade', 'last-owner', 'detach', 'restrict', 'protect', 'none'];

/** A random graph with sites, cycles, shared owners and every onDelete value. */
export function randomSnapshot(seed: number, n = 40, m = 90): Snapshot {
  const rand = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const relations: Snapshot['schema']['relations'] = {};
  const relTypes: string[] = [];
  SEMANTICS.forEach((s, i) => {
    for (let k = 0; k < 2; k++) {
      const t = `R${i}${k}`;
      relations[t] = { onDelete: s };
      relTypes.push(t);
    }
  });
  const entities = Array.from({ length: n }, (_, i) => ({
    id: `e${i}`,
    type: i < Math.max(2, n / 10) ? 'site' : pick(['a', 'b', 'c']),
    ...(rand() < 0.05 ? { protected: true } : {}),
  }));
  const rels: Snapshot['relations'] = [];
  for (let k = 0; k < m; k++) {
    // Bias towards cascade and last-owner so closures are large enough to be interesting.
    const t = rand() < 0.55 ? pick(relTypes.slice(0, 4)) : pick(relTypes);
    rels.push({ from: `e${Math.floor(rand() * n)}`, type: t, to: `e${Math.floor(rand() * n)}` });
  }
  return { schema: { boundary: 'site', relations }, entities, relations: rels };
}
