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
//
// The answer is computed on demand: asking for the sites of an entity solves that entity and what it depends on
// (its upward cone through ownership relations, which stops at boundary entities), not the whole graph, so a cold
// single-site plan on a 10 M-entity graph pays for the few thousand entities it touches. `siteIndex` solves every
// entity first, for the callers that look at all of them (the audit) or at the table's size.
import type { GraphIndex } from '../model/graph.js';
import { ownershipMask } from './toolkit/masks.js';
import { perGraph } from './toolkit/per-graph.js';
import { nextRound } from './toolkit/stamp.js';

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
  /** How many entities belong to no site (solves every entity the first time). */
  readonly globalCount: number;
}

/** A site index that solves entities when first asked about, and can be made complete. */
export interface DemandSiteIndex extends SiteIndex {
  /** Solves every entity not solved yet (once): afterwards `sets` holds every site set of the graph. */
  complete(): void;
}

const EMPTY = new Int32Array(0);
/** Where the ids of a table's extension start (a graph has fewer distinct site sets than entities, < 2^30). */
const EXTENSION_IDS = 2 ** 30;

/** One per graph: entities are solved when first asked about, and stay solved. */
const onDemand: (g: GraphIndex) => DemandSiteIndex = perGraph((g) => new DemandSites(g));

/**
 * The site index with only what is asked for solved (each entity once, with its upward cone): for a plan, which
 * looks at its closure and the owners around it. Ids of site sets are interned in the order entities are solved, so
 * two entities have equal sites exactly when their ids are equal, but the numbers depend on what was asked first.
 */
export const siteIndexOnDemand = (g: GraphIndex): SiteIndex => onDemand(g);

/**
 * The site index with every entity solved (O(entities + relations + sizes of the distinct site sets), once per
 * graph): for callers that look at every entity or size arrays by `sets.size` (the audit).
 */
export function siteIndex(g: GraphIndex): SiteIndex {
  const s = onDemand(g);
  s.complete();
  return s;
}

/** Scratch shared by a table and its extensions (one graph, one thread). */
interface SetScratch {
  /** Per entity index: the union round that last saw it. */
  mark: Int32Array | null;
  round: number;
  /** Where two sets are merged before the result is looked up (and copied only when new). */
  merge: Int32Array;
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
    private readonly scratch: SetScratch = base ? base.scratch : { mark: null, round: 0, merge: new Int32Array(64) },
  ) {
    // An extension's ids start far above its base's, so that the base may still grow (entities solved on demand
    // after the extension was made) without two sets sharing an id. A nested extension's base must not grow.
    this.firstId = base ? (base.base ? base.size : EXTENSION_IDS) : 1;
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

  /**
   * The id of `set` (sorted ascending, no duplicates), added when new. The table keeps `set` (do not modify it),
   * or a copy of it with `copy`.
   */
  intern(set: Int32Array, copy = false): number {
    return this.internRange(set, set.length, !copy);
  }

  /** intern() of buf[0 .. len): kept as it is when `keep` (then len is buf.length), else copied when new. */
  private internRange(buf: Int32Array, len: number, keep: boolean): number {
    if (len === 0) return 0;
    const h = hashOf(buf, len);
    const found = this.find(h, buf, len);
    if (found >= 0) return found;
    const id = this.size;
    this.own.push(keep ? buf : buf.slice(0, len));
    const b = this.buckets.get(h);
    if (b === undefined) this.buckets.set(h, id);
    else if (typeof b === 'number') this.buckets.set(h, [b, id]);
    else b.push(id);
    return id;
  }

  private find(h: number, buf: Int32Array, len: number): number {
    if (this.base) {
      const id = this.base.find(h, buf, len);
      if (id >= 0) return id;
    }
    const b = this.buckets.get(h);
    if (b === undefined) return -1;
    if (typeof b === 'number') return sameSet(this.get(b), buf, len) ? b : -1;
    for (const id of b) if (sameSet(this.get(id), buf, len)) return id;
    return -1;
  }

  /**
   * The id of the union of the sets `ids[0 .. count)` (any order, repeats and 0 allowed). When the union is one of
   * the sets, that set's id is returned (nothing is built). Large unions are remembered by their distinct ids.
   */
  union(ids: ArrayLike<number>, count = ids.length): number {
    let first = 0;
    let several = false;
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      if (id === 0 || id === first) continue;
      if (first === 0) first = id;
      else several = true;
    }
    if (!several) return first;
    if (count === 2) return this.union2(ids[0], ids[1]);
    // Small unions (a user in a few sites): gather, sort, look up; nothing is allocated unless the set is new.
    let gathered = 0;
    for (let i = 0; i < count && gathered <= 64; i++) gathered += this.get(ids[i]).length;
    if (gathered <= 64) {
      const sc = this.scratch;
      if (sc.merge.length < gathered) sc.merge = new Int32Array(Math.max(gathered, 2 * sc.merge.length));
      const m = sc.merge;
      let o = 0;
      for (let i = 0; i < count; i++) {
        const s = this.get(ids[i]);
        for (let j = 0; j < s.length; j++) m[o++] = s[j];
      }
      for (let i = 1; i < o; i++) {
        const v = m[i];
        let j = i - 1;
        while (j >= 0 && m[j] > v) {
          m[j + 1] = m[j];
          j--;
        }
        m[j + 1] = v;
      }
      let k = 0;
      for (let i = 0; i < o; i++) if (k === 0 || m[i] !== m[k - 1]) m[k++] = m[i];
      return this.internRange(m, k, false);
    }
    const sorted = new Int32Array(count);
    for (let i = 0; i < count; i++) sorted[i] = ids[i];
    sorted.sort();
    let k = 0;
    let total = 0;
    let largest = 0;
    for (let i = 0; i < count; i++) {
      const id = sorted[i];
      if (id === 0 || (k > 0 && id === sorted[k - 1])) continue;
      sorted[k++] = id;
      const size = this.get(id).length;
      total += size;
      if (largest === 0 || size > this.get(largest).length) largest = id;
    }
    // Small unions cost about as much as a key: build them. Large ones are remembered.
    const key = total > 64 ? sorted.subarray(0, k).join(',') : undefined;
    if (key !== undefined) {
      const known = this.unions.get(key) ?? this.base?.unions.get(key);
      if (known !== undefined) return known;
    }
    // Start from the largest set; add what the others have that it lacks.
    const big = this.get(largest);
    const sc = this.scratch;
    if (!sc.mark) sc.mark = new Int32Array(this.universe);
    const round = (sc.round = nextRound(sc.mark, sc.round));
    const mark = sc.mark;
    for (let i = 0; i < big.length; i++) mark[big[i]] = round;
    const extra: number[] = [];
    for (let i = 0; i < k; i++) {
      const id = sorted[i];
      if (id === largest) continue;
      const s = this.get(id);
      for (let j = 0; j < s.length; j++) {
        if (mark[s[j]] === round) continue;
        mark[s[j]] = round;
        extra.push(s[j]);
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
    if (key !== undefined) this.unions.set(key, result);
    return result;
  }

  /** The union of two different, non-empty sets (the common case: an entity with two owners), merged directly. */
  private union2(x: number, y: number): number {
    const a = this.get(x);
    const b = this.get(y);
    const sc = this.scratch;
    if (sc.merge.length < a.length + b.length) sc.merge = new Int32Array(Math.max(a.length + b.length, 2 * sc.merge.length));
    const m = sc.merge;
    let i = 0;
    let j = 0;
    let o = 0;
    while (i < a.length && j < b.length) {
      const u = a[i];
      const v = b[j];
      if (u < v) {
        m[o++] = u;
        i++;
      } else if (v < u) {
        m[o++] = v;
        j++;
      } else {
        m[o++] = u;
        i++;
        j++;
      }
    }
    while (i < a.length) m[o++] = a[i++];
    while (j < b.length) m[o++] = b[j++];
    if (o === a.length) return x; // b ⊆ a
    if (o === b.length) return y; // a ⊆ b
    return this.internRange(m, o, false);
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

function hashOf(buf: Int32Array, len: number): number {
  let h = len ^ 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h = Math.imul(h ^ buf[i], 0x01000193);
    h ^= h >>> 15;
  }
  return h;
}

/** Whether `a` equals buf[0 .. len). */
function sameSet(a: Int32Array, buf: Int32Array, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== buf[i]) return false;
  return true;
}

const UNSOLVED = -2;

class DemandSites implements DemandSiteIndex {
  readonly boundaryCode: number;
  readonly sets: SiteSets;
  private readonly typeCodes: Uint16Array;
  // setId[x]: the id of x's sites in `sets` (0: none), or UNSOLVED, or -1 while x's component is being solved.
  private readonly setId: Int32Array;
  // Holds the search's arrays (six per entity once a search ran): dropped when every entity is solved.
  private solveFrom: ((start: number) => void) | null;
  private completed = false;
  private global = -1;

  constructor(g: GraphIndex) {
    const n = g.size;
    this.boundaryCode = g.typeNames.indexOf(g.schema.boundary);
    this.typeCodes = g.typeCodes;
    this.sets = new SiteSets(n);
    this.setId = new Int32Array(n);
    this.solveFrom = null;
    if (this.boundaryCode >= 0) {
      const { setId, typeCodes, boundaryCode, sets } = this;
      setId.fill(UNSOLVED);
      for (let x = 0; x < n; x++) if (typeCodes[x] === boundaryCode) setId[x] = sets.intern(Int32Array.of(x));
      this.solveFrom = componentSolver(g, sets, setId);
    }
  }

  setOf(ix: number): number {
    const s = this.setId[ix];
    if (s >= 0) return s;
    this.solveFrom!(ix);
    return this.setId[ix];
  }

  sitesOf(ix: number): Int32Array {
    return this.sets.get(this.setOf(ix));
  }

  isBoundary(ix: number): boolean {
    return this.typeCodes[ix] === this.boundaryCode;
  }

  complete(): void {
    if (this.completed) return;
    const { setId, solveFrom } = this;
    if (solveFrom) for (let x = 0; x < setId.length; x++) if (setId[x] === UNSOLVED) solveFrom(x);
    this.completed = true;
    this.solveFrom = null;
  }

  get globalCount(): number {
    if (this.global < 0) {
      this.complete();
      let count = 0;
      for (let x = 0; x < this.setId.length; x++) if (this.setId[x] === 0) count++;
      this.global = count;
    }
    return this.global;
  }
}

/**
 * A function that solves `start`, when UNSOLVED, and every UNSOLVED entity it depends on: Tarjan's strongly connected components over ownership relations (iterative, as in
 * scc.ts, but with typed-array stacks and no callback per relation or array per component, since this can run over
 * every entity of the graph), each component solved as it is emitted. Components come out owners first, so a
 * component's relations lead only to itself or to solved entities (boundary entities are solved from the start:
 * their set is themselves, whatever they depend on). Everything reachable from a solved entity is solved, so the
 * UNSOLVED entities' components are the graph's, whatever order the starts come in; the search's arrays and its
 * visit counter are kept across starts.
 */
function componentSolver(g: GraphIndex, sets: SiteSets, setId: Int32Array): (start: number) => void {
  const n = g.size;
  const mask = ownershipMask(g);
  const { offsets, nodes, types } = g.outgoing;
  const contributors: number[] = [];
  // The search's arrays, allocated on the first entity that needs the search.
  let index = new Int32Array(0); // 0: not visited yet; else 1 + visit number
  let low = new Int32Array(0);
  let onStack = new Uint8Array(0);
  let stack = new Int32Array(0);
  let callNode = new Int32Array(0);
  let callEdge = new Int32Array(0);
  let sp = 0;
  let cp = 0;
  let counter = 0;

  const solve = (from: number, to: number) => {
    for (let i = from; i < to; i++) setId[stack[i]] = -1;
    let first = 0;
    let count = 0;
    for (let i = from; i < to; i++) {
      const x = stack[i];
      for (let e = offsets[x]; e < offsets[x + 1]; e++) {
        if (mask[types[e]] !== 1) continue;
        const s = setId[nodes[e]];
        if (s <= 0 || s === first) continue; // same component, no sites, or the same set again
        if (first === 0) first = s;
        else {
          if (count === 0) contributors[count++] = first;
          contributors[count++] = s;
        }
      }
    }
    const id = count ? sets.union(contributors, count) : first;
    for (let i = from; i < to; i++) setId[stack[i]] = id;
  };

  return (start) => {
    if (setId[start] !== UNSOLVED) return;
    // Fast path (most entities, when owners come before what they own): every owner is solved, so `start` is a
    // component of its own and is solved at once, without the search.
    let ready = true;
    let first = 0;
    let count = 0;
    for (let e = offsets[start]; e < offsets[start + 1]; e++) {
      if (mask[types[e]] !== 1) continue;
      const s = setId[nodes[e]];
      if (s === UNSOLVED) {
        ready = false;
        break;
      }
      if (s === 0 || s === first) continue;
      if (first === 0) first = s;
      else {
        if (count === 0) contributors[count++] = first;
        contributors[count++] = s;
      }
    }
    if (ready) {
      setId[start] = count ? sets.union(contributors, count) : first;
      return;
    }
    if (index.length === 0) {
      index = new Int32Array(n);
      low = new Int32Array(n);
      onStack = new Uint8Array(n);
      stack = new Int32Array(n);
      callNode = new Int32Array(n);
      callEdge = new Int32Array(n);
    }
    if (index[start] !== 0) return; // visited by an earlier search (and solved: not reachable here)
    index[start] = low[start] = ++counter;
    stack[sp++] = start;
    onStack[start] = 1;
    callNode[cp] = start;
    callEdge[cp++] = offsets[start];
    while (cp > 0) {
      const v = callNode[cp - 1];
      let e = callEdge[cp - 1];
      let descended = false;
      for (const end = offsets[v + 1]; e < end; e++) {
        if (mask[types[e]] !== 1) continue;
        const w = nodes[e];
        if (setId[w] !== UNSOLVED) continue; // solved: in an earlier component, or a boundary entity
        if (index[w] === 0) {
          callEdge[cp - 1] = e + 1;
          index[w] = low[w] = ++counter;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[cp] = w;
          callEdge[cp++] = offsets[w];
          descended = true;
          break;
        } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
      }
      if (descended) continue;
      cp--;
      if (low[v] === index[v]) {
        let from = sp - 1;
        while (stack[from] !== v) from--;
        solve(from, sp);
        for (let i = from; i < sp; i++) onStack[stack[i]] = 0;
        sp = from;
      }
      if (cp > 0) {
        const parent = callNode[cp - 1];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  };
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
