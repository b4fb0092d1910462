// Small random graphs for differential tests and benchmarks: sites, cycles, shared owners, protected entities and
// every onDelete value, from a seed (so a failing seed can be replayed). The realistic tenants are in tenant.ts.
import type { OnDelete, Snapshot } from '../model/types.js';

const { floor, imul, max } = Math;

/** mulberry32: small, fast, and good enough for shaping test data. Returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEMANTICS: OnDelete[] = ['cascade', 'last-owner', 'detach', 'restrict', 'protect', 'none'];

/**
 * `n` entities (the first tenth are sites) and `m` random relations over two relation types per onDelete value,
 * biased towards cascade and last-owner so that closures are large enough to be interesting. Duplicate relations
 * and self-loops are left in: the loaders must cope with them.
 */
export function randomSnapshot(seed: number, n = 40, m = 90): Snapshot {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[floor(rand() * xs.length)];
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
    type: i < max(2, n / 10) ? 'site' : pick(['a', 'b', 'c']),
    ...(rand() < 0.05 ? { protected: true } : {}),
  }));
  const rels: Snapshot['relations'] = [];
  for (let k = 0; k < m; k++) {
    const t = rand() < 0.55 ? pick(relTypes.slice(0, 4)) : pick(relTypes);
    rels.push({ from: `e${floor(rand() * n)}`, type: t, to: `e${floor(rand() * n)}` });
  }
  return { schema: { boundary: 'site', relations }, entities, relations: rels };
}
