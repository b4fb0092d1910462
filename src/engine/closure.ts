// The closure of a deletion: a breadth-first walk over incoming relations from the roots, switching on each
// relation's onDelete (cascade follows at once, last-owner once every owner is deleted; detach, restrict and
// protect are collected, to be judged once the closure is complete). It runs in a per-graph workspace of stamped
// arrays, so a query allocates only in proportion to what it touches. Pure.
import type { GraphIndex } from '../model/graph.js';
import type { SccScratch } from './scc.js';
import { CASCADE, DETACH, LAST_OWNER, lastOwnerCount, lastOwnerCounts, PROTECT, RESTRICT, semanticCodes, type LastOwnerCounts } from './toolkit/masks.js';
import { perGraph } from './toolkit/per-graph.js';
import { nextRound } from './toolkit/stamp.js';

const DELETED = 1;
const PENDING = 2;

/**
 * Per-graph scratch space, reused by every query. NOTE: entries are valid only where stamp[i] === query, so a
 * query never clears (or allocates) arrays proportional to the whole graph.
 */
export interface Workspace {
  query: number;
  stamp: Int32Array;
  state: Uint8Array;
  depth: Int32Array;
  /** The deleted entity that pulled each entity in (-1 for a root). */
  principal: Int32Array;
  /** The relation-type code through which each entity was pulled in (-1 for a root). */
  viaRelation: Int32Array;
  /** The root whose closure reached each entity first. */
  rootOf: Int32Array;
  remaining: Int32Array;
  /** The deleted entities in the order the closure reached them. */
  queue: Int32Array;
  /** Position of each deleted entity in `queue` (valid where deleted in this query). */
  pos: Int32Array;
  /**
   * Scratch for searches that run after the closure (the rules, the deletion order): Tarjan's arrays, stamped with
   * `search` (take a fresh mark with nextSearch()). `scc.index` doubles as a stack for a walk after a search.
   */
  search: number;
  scc: SccScratch;
  /** Per entity, for a rule's dataflow over the deleted entities (cross-boundary): valid only within one rule. */
  reach: Int32Array;
  semantics: Uint8Array;
  /** Per entity: how many last-owner relations leave it (lastOwnerCount). */
  ownerCount: LastOwnerCounts;
}

export const workspace = perGraph((g): Workspace => {
  const n = g.size;
  return {
    query: 0,
    stamp: new Int32Array(n),
    state: new Uint8Array(n),
    depth: new Int32Array(n),
    principal: new Int32Array(n),
    viaRelation: new Int32Array(n),
    rootOf: new Int32Array(n),
    remaining: new Int32Array(n),
    queue: new Int32Array(n),
    pos: new Int32Array(n),
    search: 0,
    scc: { stamp: new Int32Array(n), index: new Int32Array(n), low: new Int32Array(n), onStack: new Uint8Array(n) },
    reach: new Int32Array(n),
    semantics: semanticCodes(g),
    ownerCount: lastOwnerCounts(g),
  };
});

/** A fresh mark for a search over `ws.scc`. */
export function nextSearch(ws: Workspace): number {
  return (ws.search = nextRound(ws.scc.stamp, ws.search));
}

/** What the closure collects besides the deleted entities, for the plan's detached, spared and blocked lists. */
export interface Candidates {
  /** [from, to, relationCode] triples. */
  detach: number[];
  restrict: number[];
  protect: number[];
  /** Last-owner dependents reached at least once (deleted or not). */
  pending: number[];
}

function markRoot(ws: Workspace, q: number, x: number, tail: number): number {
  ws.stamp[x] = q;
  ws.state[x] = DELETED;
  ws.depth[x] = 0;
  ws.principal[x] = -1;
  ws.viaRelation[x] = -1;
  ws.rootOf[x] = x;
  ws.pos[x] = tail;
  ws.queue[tail] = x;
  return tail + 1;
}

/**
 * The breadth-first closure of the roots already in ws.queue[0 .. tail): marks every entity the deletion takes
 * down (with depth, principal and relation) and returns the new tail. `cand` is null when only the deleted set is
 * wanted (the audit's counting path), so nothing is collected for the other lists.
 */
function runClosure(g: GraphIndex, ws: Workspace, q: number, tail: number, cand: Candidates | null): number {
  const { stamp, state, depth, principal, viaRelation, rootOf, remaining, queue, pos, semantics, ownerCount } = ws;
  const { offsets: inOff, nodes: inNodes, types: inTypes } = g.incoming;
  for (let head = 0; head < tail; head++) {
    const x = queue[head];
    const d = depth[x] + 1;
    for (let e = inOff[x]; e < inOff[x + 1]; e++) {
      const f = inNodes[e];
      const t = inTypes[e];
      const sem = semantics[t];
      if (sem === CASCADE || sem === LAST_OWNER) {
        if (stamp[f] === q && state[f] === DELETED) continue;
        if (sem === LAST_OWNER) {
          if (stamp[f] !== q) {
            stamp[f] = q;
            state[f] = PENDING;
            remaining[f] = lastOwnerCount(ownerCount, f);
            cand?.pending.push(f);
          }
          if (--remaining[f] !== 0) continue;
        }
        stamp[f] = q;
        state[f] = DELETED;
        depth[f] = d;
        principal[f] = x;
        viaRelation[f] = t;
        rootOf[f] = rootOf[x];
        pos[f] = tail;
        queue[tail++] = f;
      } else if (cand !== null) {
        // A dependent already deleted stays deleted: it can be neither detached nor left restricting.
        if (sem === DETACH) {
          if (stamp[f] !== q || state[f] !== DELETED) cand.detach.push(f, x, t);
        } else if (sem === RESTRICT) {
          if (stamp[f] !== q || state[f] !== DELETED) cand.restrict.push(f, x, t);
        } else if (sem === PROTECT) cand.protect.push(f, x, t);
      }
    }
  }
  return tail;
}

/**
 * The deleted set of a deletion, without the rest of a plan: for callers that ask many questions and need only
 * counts (the audit plans every site). The arrays are views of the graph's shared workspace: they are valid only
 * until the next plan() or closure() on the same graph.
 */
export interface Closure {
  /** How many entities the deletion takes down (roots included). */
  readonly size: number;
  /** The deleted entities, roots first, in the order the closure reached them. */
  readonly members: Int32Array;
  has(ix: number): boolean;
  /** The deleted entity that pulled `ix` in (-1 for a root). */
  principalOf(ix: number): number;
  /** The relation-type code through which `ix` was pulled in (-1 for a root). */
  relationOf(ix: number): number;
}

/** The closure of deleting the entities with indices `roots` (duplicates are ignored). */
export function closure(g: GraphIndex, roots: ArrayLike<number>): Closure {
  const ws = workspace(g);
  const q = (ws.query = nextRound(ws.stamp, ws.query));
  let tail = 0;
  for (let i = 0; i < roots.length; i++) {
    const x = roots[i];
    if (!(x >= 0 && x < g.size)) throw new RangeError(`no entity with index ${x}`);
    if (ws.stamp[x] !== q) tail = markRoot(ws, q, x, tail);
  }
  tail = runClosure(g, ws, q, tail, null);
  const { stamp, state, principal, viaRelation } = ws;
  return {
    size: tail,
    members: ws.queue.subarray(0, tail),
    has: (ix) => stamp[ix] === q && state[ix] === DELETED,
    principalOf: (ix) => (stamp[ix] === q && state[ix] === DELETED ? principal[ix] : -1),
    relationOf: (ix) => (stamp[ix] === q && state[ix] === DELETED ? viaRelation[ix] : -1),
  };
}

/** A plan's closure: the workspace holds it (valid until the next query on the graph), with what plan() needs. */
export interface PlanClosure {
  readonly ws: Workspace;
  readonly q: number;
  /** The targets, deduplicated, in the order given. */
  readonly rootIds: string[];
  /** The targets that are not in the graph, in the order given. */
  readonly unknown: string[];
  /** How many entities are deleted: ws.queue[0 .. count). */
  readonly count: number;
  /** The roots are ws.queue[0 .. rootCount). */
  readonly rootCount: number;
  readonly cand: Candidates;
  isDeleted(ix: number): boolean;
}

/** The closure of deleting the entities with IDs `roots`, collecting what the plan's other lists and rules need. */
export function planClosure(g: GraphIndex, roots: readonly string[]): PlanClosure {
  const ws = workspace(g);
  const q = (ws.query = nextRound(ws.stamp, ws.query));
  const { stamp, state } = ws;
  const isDeleted = (x: number) => stamp[x] === q && state[x] === DELETED;
  const rootIds: string[] = [];
  const unknown: string[] = [];
  const seenRoot = new Set<string>();
  let tail = 0;
  for (const id of roots) {
    if (seenRoot.has(id)) continue;
    seenRoot.add(id);
    rootIds.push(id);
    const ix = g.indexOf(id);
    if (ix < 0) unknown.push(id);
    else if (!isDeleted(ix)) tail = markRoot(ws, q, ix, tail);
  }
  const rootCount = tail;
  const cand: Candidates = { detach: [], restrict: [], protect: [], pending: [] };
  const count = runClosure(g, ws, q, tail, cand);
  return { ws, q, rootIds, unknown, count, rootCount, cand, isDeleted };
}
