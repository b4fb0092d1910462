// Which sites (boundary entities) each entity belongs to: the boundary entities it reaches by following
// cascade and last-owner relations forward, stopping at the first boundary entity on each path.
import type { GraphIndex } from '../store/compact.js';

export interface SiteIndex {
  /** Boundary type code, or -1 when the graph has no entity of the boundary type. */
  readonly boundaryCode: number;
  /** The sites of entity `ix` as entity indices, sorted ascending (empty for global entities). */
  sitesOf(ix: number): Int32Array;
  isBoundary(ix: number): boolean;
  /** How many entities belong to no site. */
  readonly globalCount: number;
}

const EMPTY = new Int32Array(0);
const cache = new WeakMap<GraphIndex, SiteIndex>();

/** Computed once per graph (O(sum of site closures)), then cached. */
export function siteIndex(g: GraphIndex): SiteIndex {
  let s = cache.get(g);
  if (!s) {
    s = computeSites(g);
    cache.set(g, s);
  }
  return s;
}

/** True for the relation-type codes that carry membership in a site: cascade and last-owner. */
export function ownershipMask(g: GraphIndex): Uint8Array {
  const mask = new Uint8Array(g.relationTypeNames.length);
  g.relationSemantics.forEach((sem, i) => {
    if (sem === 'cascade' || sem === 'last-owner') mask[i] = 1;
  });
  return mask;
}

function computeSites(g: GraphIndex): SiteIndex {
  const n = g.size;
  const boundaryCode = g.typeNames.indexOf(g.schema.boundary);
  const typeCodes = g.typeCodes;
  // NOTE: one site per entity is the common case, so it lives in a typed array; only entities with several
  // sites get an entry in `multi`. first[i] = -1: no site yet.
  const first = new Int32Array(n).fill(-1);
  const multi = new Map<number, number[]>();
  let globalCount = n;
  if (boundaryCode >= 0) {
    const mask = ownershipMask(g);
    const { offsets, nodes, types } = g.incoming;
    const stamp = new Int32Array(n);
    const queue = new Int32Array(n);
    let round = 0;
    for (let s = 0; s < n; s++) {
      if (typeCodes[s] !== boundaryCode) continue;
      round++;
      let head = 0;
      let tail = 0;
      queue[tail++] = s;
      stamp[s] = round;
      while (head < tail) {
        const x = queue[head++];
        // Record site s on x.
        if (first[x] === -1) {
          first[x] = s;
          globalCount--;
        } else {
          const list = multi.get(x);
          if (list) list.push(s);
          else multi.set(x, [first[x], s]);
        }
        for (let e = offsets[x]; e < offsets[x + 1]; e++) {
          if (!mask[types[e]]) continue;
          const f = nodes[e];
          if (stamp[f] === round || typeCodes[f] === boundaryCode) continue;
          stamp[f] = round;
          queue[tail++] = f;
        }
      }
    }
  }
  const multiSorted = new Map<number, Int32Array>();
  for (const [ix, list] of multi) multiSorted.set(ix, Int32Array.from(list).sort());
  const singles = new Map<number, Int32Array>();
  return {
    boundaryCode,
    globalCount,
    isBoundary: (ix) => typeCodes[ix] === boundaryCode,
    sitesOf(ix) {
      const f = first[ix];
      if (f === -1) return EMPTY;
      const m = multiSorted.get(ix);
      if (m) return m;
      let one = singles.get(f);
      if (!one) singles.set(f, (one = Int32Array.of(f)));
      return one;
    },
  };
}

const ownerCounts = new WeakMap<GraphIndex, Int32Array>();

/** Per entity: how many last-owner relations leave it. Computed once per graph, shared by every closure. */
export function lastOwnerCounts(g: GraphIndex): Int32Array {
  let counts = ownerCounts.get(g);
  if (!counts) {
    counts = new Int32Array(g.size);
    const isLastOwner = Uint8Array.from(g.relationSemantics, (s) => (s === 'last-owner' ? 1 : 0));
    const { offsets, types } = g.outgoing;
    for (let i = 0; i < g.size; i++) for (let e = offsets[i]; e < offsets[i + 1]; e++) counts[i] += isLastOwner[types[e]];
    ownerCounts.set(g, counts);
  }
  return counts;
}

/** Whether sorted `a` is a subset of sorted `b` (site lists as sitesOf returns them). */
export function sortedSubset(a: Int32Array, b: Int32Array): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j] < a[i]) j++;
    if (j === b.length || b[j] !== a[i]) return false;
  }
  return true;
}
