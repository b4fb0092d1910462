// Which sites (boundary entities) each entity belongs to: the boundary entities it reaches by following
// cascade and last-owner relations forward, stopping at the first boundary entity on each path.
//
// Computed as a dataflow over the forward ownership graph rather than one search per site: a boundary entity b
// belongs to {b}; any other entity x to the union, over its cascade and last-owner relations x → y, of the sites of
// y (y's own {y} when y is a boundary entity). Strongly connected components (ownership cycles) share one answer,
// and components are solved dependencies first, so each union reads finished answers only. Site sets are interned:
// each entity holds the id of a distinct sorted set, an entity with one owner reuses that owner's id (no copy), and
// equal unions share one id. The cost is O(entities + relations + the sizes of the distinct sets built), not
// O(sum of site closures): a user who is a member of 5,000 sites, with 20,000 entities below, costs one union of
// 5,000 and 20,000 reused ids, not 100 M entries.
import type { GraphIndex } from '../store/compact.js';
import { sccScratch, stronglyConnected } from './scc.js';

export interface SiteIndex {
  /** Boundary type code, or -1 when the graph has no entity of the boundary type. */
  readonly boundaryCode: number;
  /**
   * The sites of entity `ix` as entity indices, sorted ascending (empty for global entities). Entities with the same
   * sites get the same array: never modify it.
   */
  sitesOf(ix: number): Int32Array;
  /**
   * The id of the site set of entity `ix` in `sets`: two entities have the same sites exactly when they have the
   * same id (0 is the empty set). For memoising by site set instead of by entity.
   */
  setOf(ix: number): number;
  /** The interned site sets (`sets.get(setOf(ix))` is `sitesOf(ix)`), with memoised union and subset. */
  readonly sets: SiteSets;
  isBoundary(ix: number): boolean;
  /** How many entities belong to no site. */
  readonly globalCount: number;
}

const EMPTY = new Int32Array(0);
const cache = new WeakMap<GraphIndex, SiteIndex>();

/** Computed once per graph (O(entities + relations + sizes of the distinct site sets)), then cached. */
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

/** Scratch shared by a table and its extensions (one graph, one thread). */
interface SetScratch {
  /** Per entity index: the union round that last saw it. */
  mark: Int32Array | null;
  round: number;
}

/**
 * A table of distinct sorted sets of entity indices, each with a dense id (0 is the empty set). `intern` gives
 * equal sets one id; `union` and `subset` work on ids and remember their answers, so asking again about the same
 * sets costs a map lookup. `extend()` makes a scratch table for one query: it sees every set of this table (with
 * the same ids) and adds its own above them, leaving this table unchanged.
 */
export class SiteSets {
  private readonly own: Int32Array[] = [];
  private readonly buckets = new Map<number, number | number[]>();
  private readonly unions = new Map<string, number>();
  private readonly subsets = new Map<number | string, boolean>();
  private readonly firstId: number;

  constructor(
    private readonly universe: number,
    private readonly base: SiteSets | null = null,
    private readonly scratch: SetScratch = base ? base.scratch : { mark: null, round: 0 },
  ) {
    this.firstId = base ? base.size : 1;
  }

  /** How many ids are in use (the empty set included). */
  get size(): number {
    return this.firstId + this.own.length;
  }

  get(id: number): Int32Array {
    if (id >= this.firstId) return this.own[id - this.firstId];
    if (this.base) return this.base.get(id);
    return EMPTY; // id 0
  }

  /** A scratch table for one query on top of this one (O(1) to make). */
  extend(): SiteSets {
    return new SiteSets(this.universe, this, this.scratch);
  }

  /** The id of `set` (sorted ascending, no duplicates), added when new. The table keeps `set`: do not modify it. */
  intern(set: Int32Array): number {
    if (set.length === 0) return 0;
    const h = hashOf(set);
    const found = this.find(h, set);
    if (found >= 0) return found;
    const id = this.size;
    this.own.push(set);
    const b = this.buckets.get(h);
    if (b === undefined) this.buckets.set(h, id);
    else if (typeof b === 'number') this.buckets.set(h, [b, id]);
    else b.push(id);
    return id;
  }

  private find(h: number, set: Int32Array): number {
    if (this.base) {
      const id = this.base.find(h, set);
      if (id >= 0) return id;
    }
    const b = this.buckets.get(h);
    if (b === undefined) return -1;
    if (typeof b === 'number') return sameSet(this.get(b), set) ? b : -1;
    for (const id of b) if (sameSet(this.get(id), set)) return id;
    return -1;
  }

  /**
   * The id of the union of the sets `ids` (in any order, repeats and 0 allowed; the array is sorted in place).
   * When the union is one of the sets, that set's id is returned (nothing is built).
   */
  union(ids: number[]): number {
    let first = 0;
    let several = false;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === 0 || id === first) continue;
      if (first === 0) first = id;
      else several = true;
    }
    if (!several) return first;
    ids.sort((a, b) => a - b);
    let k = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== 0 && (k === 0 || ids[i] !== ids[k - 1])) ids[k++] = ids[i];
    ids.length = k;
    const key = ids.join(',');
    const known = this.unions.get(key) ?? this.base?.unions.get(key);
    if (known !== undefined) return known;
    // Start from the largest set; add what the others have that it lacks.
    let largest = ids[0];
    for (const id of ids) if (this.get(id).length > this.get(largest).length) largest = id;
    const big = this.get(largest);
    const sc = this.scratch;
    if (!sc.mark) sc.mark = new Int32Array(this.universe);
    if (sc.round === 0x7fffffff) {
      sc.mark.fill(0);
      sc.round = 0;
    }
    const round = ++sc.round;
    const mark = sc.mark;
    for (let i = 0; i < big.length; i++) mark[big[i]] = round;
    const extra: number[] = [];
    for (const id of ids) {
      if (id === largest) continue;
      const s = this.get(id);
      for (let i = 0; i < s.length; i++) {
        if (mark[s[i]] === round) continue;
        mark[s[i]] = round;
        extra.push(s[i]);
      }
    }
    let result = largest;
    if (extra.length) {
      extra.sort((a, b) => a - b);
      const merged = new Int32Array(big.length + extra.length);
      let i = 0;
      let j = 0;
      let o = 0;
      while (i < big.length && j < extra.length) merged[o++] = big[i] < extra[j] ? big[i++] : extra[j++];
      while (i < big.length) merged[o++] = big[i++];
      while (j < extra.length) merged[o++] = extra[j++];
      result = this.intern(merged);
    }
    this.unions.set(key, result);
    return result;
  }

  /** Whether set `a` is a subset of set `b`. */
  subset(a: number, b: number): boolean {
    if (a === b || a === 0) return true;
    const sa = this.get(a);
    const sb = this.get(b);
    if (sa.length > sb.length) return false;
    const key = a < 0x4000000 && b < 0x4000000 ? a * 0x4000000 + b : `${a},${b}`;
    let known = this.subsets.get(key);
    if (known === undefined) {
      known = sortedSubset(sa, sb);
      this.subsets.set(key, known);
    }
    return known;
  }
}

function hashOf(set: Int32Array): number {
  let h = set.length ^ 0x811c9dc5;
  for (let i = 0; i < set.length; i++) {
    h = Math.imul(h ^ set[i], 0x01000193);
    h ^= h >>> 15;
  }
  return h;
}

function sameSet(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function computeSites(g: GraphIndex): SiteIndex {
  const n = g.size;
  const boundaryCode = g.typeNames.indexOf(g.schema.boundary);
  const typeCodes = g.typeCodes;
  const sets = new SiteSets(n);
  // setId[x]: the id of x's sites in `sets`; 0 (empty) until computed; -1 while x's component is being solved.
  const setId = new Int32Array(n);
  if (boundaryCode >= 0) {
    const mask = ownershipMask(g);
    const { offsets, nodes, types } = g.outgoing;
    const starts: number[] = [];
    for (let x = 0; x < n; x++) {
      if (typeCodes[x] === boundaryCode) setId[x] = sets.intern(Int32Array.of(x));
      else if (offsets[x + 1] > offsets[x]) starts.push(x);
    }
    // Components of the non-boundary entities over ownership relations, dependencies (owners) first. A boundary
    // entity is never entered: its sites are itself, whatever it depends on.
    const contributors: number[] = [];
    stronglyConnected(
      g.outgoing,
      sccScratch(n),
      1,
      starts,
      (w, t) => mask[t] === 1 && typeCodes[w] !== boundaryCode,
      (members) => {
        for (const x of members) setId[x] = -1;
        let first = 0;
        let several = false;
        for (const x of members) {
          for (let e = offsets[x]; e < offsets[x + 1]; e++) {
            if (mask[types[e]] !== 1) continue;
            const s = setId[nodes[e]];
            if (s <= 0 || s === first) continue; // same component, no sites, or the same set again
            if (first === 0) first = s;
            else {
              if (!several) {
                several = true;
                contributors.length = 0;
                contributors.push(first);
              }
              contributors.push(s);
            }
          }
        }
        const id = several ? sets.union(contributors) : first;
        for (const x of members) setId[x] = id;
      },
    );
  }
  let globalCount = 0;
  for (let x = 0; x < n; x++) if (setId[x] === 0) globalCount++;
  return {
    boundaryCode,
    globalCount,
    sets,
    isBoundary: (ix) => typeCodes[ix] === boundaryCode,
    setOf: (ix) => setId[ix],
    sitesOf: (ix) => sets.get(setId[ix]),
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

/** The members of sorted `a` that are not in sorted `b`, ascending. */
export function sortedMinus(a: Int32Array, b: Int32Array): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j] < a[i]) j++;
    if (j === b.length || b[j] !== a[i]) out.push(a[i]);
  }
  return out;
}
