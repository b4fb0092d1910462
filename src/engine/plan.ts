// The cascade engine: the closure of a deletion under the schema's onDelete rules, with sites, chains, order and
// violations. Pure: no I/O, and nothing here knows which backend built the graph.
import { UsageError } from '../model/errors.js';
import type { Intent, Limits, OnDelete } from '../model/types.js';
import type { GraphIndex } from '../store/compact.js';
import type {
  ChainLink,
  DeletedEntity,
  DetachedEntity,
  PlanResult,
  RuleName,
  SiteSummary,
  SparedEntity,
  Violation,
} from './result.js';
import { RULES } from './result.js';
import { rootBoundary } from './root-boundary.js';
import { stronglyConnected } from './scc.js';
import { siteIndex, type SiteIndex, type SiteSets, lastOwnerCounts } from './sites.js';

export interface PlanOptions {
  intent?: Intent;
  limits?: Limits;
  /**
   * `full` (the default): every deleted, detached and spared entity, and the deletion order. `summary`: the verdict,
   * the violations with their chains, and the counts by type and site, with empty entity lists and order (the
   * result says `detail: 'summary'`): for callers that plan thousands of deletions and keep only their verdicts.
   */
  detail?: 'full' | 'summary';
}

const NONE = 0;
const CASCADE = 1;
const LAST_OWNER = 2;
const DETACH = 3;
const RESTRICT = 4;
const PROTECT = 5;
const SEM_CODES: Record<OnDelete, number> = {
  none: NONE,
  cascade: CASCADE,
  'last-owner': LAST_OWNER,
  detach: DETACH,
  restrict: RESTRICT,
  protect: PROTECT,
};

const DELETED = 1;
const PENDING = 2;

/**
 * Per-graph scratch space, reused by every query. NOTE: entries are valid only where stamp[i] === query, so a
 * query never clears (or allocates) arrays proportional to the whole graph.
 */
interface Workspace {
  query: number;
  stamp: Int32Array;
  state: Uint8Array;
  depth: Int32Array;
  principal: Int32Array;
  viaRelation: Int32Array;
  rootOf: Int32Array;
  remaining: Int32Array;
  queue: Int32Array;
  /** Position of each deleted entity in `queue` (valid where deleted in this query). */
  pos: Int32Array;
  // Secondary stamps for searches that run after the closure (cross-boundary, order).
  search: number;
  searchStamp: Int32Array;
  aux: Int32Array;
  aux2: Int32Array;
  onStack: Uint8Array;
  /** Cross-boundary: per deleted entity, the id of the union of the sites of the roots that reach it. */
  reach: Int32Array;
  semantics: Uint8Array;
  /** Per entity: how many last-owner relations leave it. */
  ownerCount: Int32Array;
}

const workspaces = new WeakMap<GraphIndex, Workspace>();

function workspace(g: GraphIndex): Workspace {
  let ws = workspaces.get(g);
  if (ws) return ws;
  const n = g.size;
  const semantics = Uint8Array.from(g.relationSemantics, (s) => SEM_CODES[s]);
  const ownerCount = lastOwnerCounts(g);
  ws = {
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
    searchStamp: new Int32Array(n),
    aux: new Int32Array(n),
    aux2: new Int32Array(n),
    onStack: new Uint8Array(n),
    reach: new Int32Array(n),
    semantics,
    ownerCount,
  };
  workspaces.set(g, ws);
  return ws;
}

const boundaryIdCache = new WeakMap<GraphIndex, Map<number, string>>();

/** IDs of boundary entities, decoded once per graph (there are few of them, and every plan names them). */
function boundaryIds(g: GraphIndex): (ix: number) => string {
  let cache = boundaryIdCache.get(g);
  if (!cache) boundaryIdCache.set(g, (cache = new Map()));
  const c = cache;
  return (ix) => {
    let id = c.get(ix);
    if (id === undefined) c.set(ix, (id = g.idOf(ix)));
    return id;
  };
}

function nextQuery(ws: Workspace): number {
  if (ws.query === 0x7fffffff) {
    ws.stamp.fill(0);
    ws.query = 0;
  }
  return ++ws.query;
}

function nextSearch(ws: Workspace): number {
  if (ws.search === 0x7fffffff) {
    ws.searchStamp.fill(0);
    ws.search = 0;
  }
  return ++ws.search;
}

/** Entities whose name is exactly an unknown target (people type names). One scan, only when a target is unknown. */
function suggestByName(g: GraphIndex, unknown: string[]): Map<string, number[]> {
  const wanted = new Map(unknown.map((u) => [u, [] as number[]]));
  for (let i = 0; i < g.size; i++) {
    const name = g.nameOf(i);
    if (name === undefined) continue;
    const list = wanted.get(name);
    if (list && list.length < 3) list.push(i);
  }
  return wanted;
}


/** What the closure collects besides the deleted entities, for the plan's detached, spared and blocked lists. */
interface Candidates {
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
            remaining[f] = ownerCount[f];
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
  const q = nextQuery(ws);
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

/**
 * A limit is a whole number, 0 or more. NaN would make every comparison false (the limit silently off) and Infinity
 * is no limit at all; the manifest schema refuses both, this refuses them from library callers too.
 */
function checkLimits(limits: Limits): void {
  for (const key of ['maxDeleted', 'maxSites'] as const) {
    const v = limits[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) throw new UsageError(`limits.${key} must be a whole number, 0 or more (got ${String(v)})`);
  }
}

/** Computes the plan for deleting `roots` from `g`. */
export function plan(g: GraphIndex, roots: readonly string[], options: PlanOptions = {}): PlanResult {
  const intent = options.intent ?? {};
  const limits = options.limits ?? {};
  checkLimits(limits);
  const ws = workspace(g);
  const sites = siteIndex(g);
  const q = nextQuery(ws);
  const { stamp, state, depth, principal, viaRelation, rootOf, queue, pos, semantics } = ws;
  const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
  const isDeleted = (x: number) => stamp[x] === q && state[x] === DELETED;

  const violations: Violation[] = [];
  const rootIds: string[] = [];
  const seenRoot = new Set<string>();
  let tail = 0;

  const unknown: string[] = [];
  for (const id of roots) {
    if (seenRoot.has(id)) continue;
    seenRoot.add(id);
    rootIds.push(id);
    const ix = g.indexOf(id);
    if (ix < 0) unknown.push(id);
    else if (!isDeleted(ix)) tail = markRoot(ws, q, ix, tail);
  }
  if (unknown.length) {
    const hints = suggestByName(g, unknown);
    for (const id of unknown) {
      const hint = hints.get(id);
      const suffix = hint?.length ? `; did you mean ${hint.map((ix) => `${g.idOf(ix)} (a ${g.typeOf(ix)} named "${g.nameOf(ix)}")`).join(' or ')}?` : '';
      violations.push({ rule: 'unknown-target', message: `"${id}" is not in the graph${suffix}`, entity: id, chain: [] });
    }
  }

  // Candidates found during the closure and judged once it is complete: [from, to, relationCode] triples.
  const cand: Candidates = { detach: [], restrict: [], protect: [], pending: [] };
  tail = runClosure(g, ws, q, tail, cand);
  const { detach: detachCand, restrict: restrictCand, protect: protectCand, pending } = cand;

  const ref = (ix: number) => {
    const r: { id: string; type: string; name?: string } = { id: g.idOf(ix), type: g.typeOf(ix) };
    const name = g.nameOf(ix);
    if (name !== undefined) r.name = name;
    return r;
  };
  // The sites arrays of entities with the same sites are one array within a result (most entities share theirs
  // with their whole site; a user of 5,000 sites shares it with everything below it), and site IDs are decoded
  // once per graph.
  const siteIdsOfSet = new Map<number, string[]>();
  const siteIdOf = boundaryIds(g);
  const siteIds = (ix: number): string[] => {
    const set = sites.setOf(ix);
    let ids = siteIdsOfSet.get(set);
    if (!ids) {
      const own = sites.sitesOf(ix);
      ids = new Array<string>(own.length);
      for (let k = 0; k < own.length; k++) ids[k] = siteIdOf(own[k]);
      siteIdsOfSet.set(set, ids);
    }
    return ids;
  };
  // Chains of many violations share their upper links (thousands of violators under one long cascade chain):
  // one link object per entity, shared by every chain through it, keeps them O(violations × depth) references.
  const links = new Map<number, ChainLink>();
  const linkOf = (c: number): ChainLink => {
    let link = links.get(c);
    if (!link) {
      const rel = viaRelation[c];
      link = { ...ref(c), relation: rel < 0 ? null : g.relationTypeNames[rel] };
      if (rel >= 0) link.onDelete = g.relationSemantics[rel];
      links.set(c, link);
    }
    return link;
  };
  const chain = (x: number): ChainLink[] => {
    const out: ChainLink[] = [];
    for (let c = x; c >= 0; c = principal[c]) out.push(linkOf(c));
    return out.reverse();
  };
  const label = (ix: number) => {
    const name = g.nameOf(ix);
    return name !== undefined && name !== '' ? `${g.idOf(ix)} (${name})` : g.idOf(ix);
  };

  // Deleted entities, in the order the closure reached them (depth ascending). Each ID is decoded once: a
  // principal comes before what it pulled in, and the order below reuses the same strings. Entries are built
  // directly (a spread of ref() is a generic object copy per entity).
  const full = options.detail !== 'summary';
  const idAt: string[] = new Array(full ? tail : 0);
  const deleted: DeletedEntity[] = new Array(full ? tail : 0);
  const typeNames = g.typeNames;
  const typeCodes = g.typeCodes;
  const relationTypeNames = g.relationTypeNames;
  const relationSemantics = g.relationSemantics;
  for (let i = 0; full && i < tail; i++) {
    const x = queue[i];
    const p = principal[x];
    const id = (idAt[i] = g.idOf(x));
    const name = g.nameOf(x);
    const t = viaRelation[x];
    const via = p < 0 ? null : { relation: relationTypeNames[t], onDelete: relationSemantics[t], principal: idAt[pos[p]] };
    deleted[i] =
      name === undefined
        ? { id, type: typeNames[typeCodes[x]], sites: siteIds(x), depth: depth[x], via }
        : { id, type: typeNames[typeCodes[x]], name, sites: siteIds(x), depth: depth[x], via };
  }

  // Detached: survivors whose relation to a deleted entity is removed.
  const detachedMap = new Map<number, DetachedEntity>();
  const detachedOnly = new Set<number>(); // summary: who, without the links
  for (let i = 0; i < detachCand.length; i += 3) {
    const f = detachCand[i];
    if (isDeleted(f)) continue;
    if (!full) {
      detachedOnly.add(f);
      continue;
    }
    let entry = detachedMap.get(f);
    if (!entry) {
      const name = g.nameOf(f);
      entry = { id: g.idOf(f), type: g.typeOf(f), ...(name === undefined ? {} : { name }), sites: siteIds(f), links: [] };
      detachedMap.set(f, entry);
    }
    entry.links.push({ relation: g.relationTypeNames[detachCand[i + 2]], to: g.idOf(detachCand[i + 1]) });
  }
  const detached = [...detachedMap.values()];

  // Spared: last-owner dependents with an owner that survives.
  const spared: SparedEntity[] = [];
  let sparedCount = 0;
  for (const f of pending) {
    if (isDeleted(f)) continue;
    sparedCount++;
    if (!full) continue;
    let keptBy = -1;
    let relation = -1;
    const deletedOwners: string[] = [];
    for (let e = outOff[f]; e < outOff[f + 1]; e++) {
      if (semantics[outTypes[e]] !== LAST_OWNER) continue;
      const o = outNodes[e];
      if (isDeleted(o)) {
        deletedOwners.push(g.idOf(o));
        if (relation < 0) relation = outTypes[e];
      } else if (keptBy < 0) keptBy = o;
    }
    const id = g.idOf(f);
    const name = g.nameOf(f);
    const type = g.typeOf(f);
    const sitesOfF = siteIds(f);
    const rel = g.relationTypeNames[relation];
    const kept = keptBy >= 0 ? g.idOf(keptBy) : id;
    spared.push(
      name === undefined
        ? { id, type, sites: sitesOfF, relation: rel, keptBy: kept, deletedOwners }
        : { id, type, name, sites: sitesOfF, relation: rel, keptBy: kept, deletedOwners },
    );
  }

  // Violations.
  const rootTypes = intent.rootTypes ? new Set(intent.rootTypes) : undefined;
  const deleteTypes = intent.deleteTypes ? new Set(intent.deleteTypes) : undefined;
  const boundary = g.schema.boundary;
  const boundaryAllowed = intent.allowBoundaryDeletion === true || (deleteTypes?.has(boundary) ?? false);
  const flaggedRoot = new Set<number>();

  for (let i = 0; i < tail; i++) {
    const x = queue[i];
    if (depth[x] !== 0 || !rootTypes || rootTypes.has(g.typeOf(x))) continue;
    flaggedRoot.add(x);
    violations.push({
      rule: 'root-type',
      message: `${label(x)} is a ${g.typeOf(x)}; the intent allows roots of type ${[...rootTypes].join(', ')}`,
      entity: g.idOf(x),
      chain: chain(x),
    });
  }
  if (deleteTypes) {
    for (let i = 0; i < tail; i++) {
      const x = queue[i];
      const type = g.typeOf(x);
      if (deleteTypes.has(type) || flaggedRoot.has(x) || sites.isBoundary(x)) continue;
      violations.push({
        rule: 'delete-type',
        message: `${label(x)} would be deleted, but the intent allows deleting only ${[...deleteTypes].join(', ')}`,
        entity: g.idOf(x),
        chain: chain(x),
      });
    }
  }
  crossBoundary(g, ws, q, sites, tail, label, chain, violations);
  {
    // Each root on its own must also stay inside its own sites (see root-boundary.ts).
    const rootIxs: number[] = [];
    for (let i = 0; i < tail && depth[queue[i]] === 0; i++) rootIxs.push(queue[i]);
    const crossed = new Set(violations.filter((v) => v.rule === 'cross-boundary').map((v) => g.indexOf(v.entity!)));
    for (const v of rootBoundary(g, sites, rootIxs, isDeleted, crossed)) violations.push(v);
  }
  if (!boundaryAllowed) {
    for (let i = 0; i < tail; i++) {
      const x = queue[i];
      if (!sites.isBoundary(x)) continue;
      violations.push({
        rule: 'boundary-deleted',
        message: `${boundary} ${label(x)} would be deleted`,
        entity: g.idOf(x),
        chain: chain(x),
      });
    }
  }
  for (let i = 0; i < tail; i++) {
    const x = queue[i];
    if (!g.isProtected(x)) continue;
    violations.push({ rule: 'protected', message: `${label(x)} is protected and would be deleted`, entity: g.idOf(x), chain: chain(x) });
  }
  const blocked = new Set<string>();
  const blockedBy = (cand: number[], rule: RuleName, survivorsOnly: boolean) => {
    for (let i = 0; i < cand.length; i += 3) {
      const f = cand[i];
      const x = cand[i + 1];
      const t = cand[i + 2];
      if (survivorsOnly && isDeleted(f)) continue;
      const key = `${rule}\u0000${f}\u0000${x}\u0000${t}`;
      if (blocked.has(key)) continue;
      blocked.add(key);
      const rel = g.relationTypeNames[t];
      const message =
        rule === 'restricted'
          ? `${label(x)} would be deleted, but ${label(f)} depends on it (${rel}, restrict) and is not deleted`
          : `${label(x)} would be deleted, but ${label(f)} protects it (${rel}, protect)`;
      const link: ChainLink = { ...ref(f), relation: rel, onDelete: g.relationSemantics[t] };
      violations.push({ rule, message, entity: g.idOf(f), chain: [...chain(x), link] });
    }
  };
  blockedBy(protectCand, 'protected', false);
  blockedBy(restrictCand, 'restricted', true);

  // Summary.
  const byType: Record<string, number> = Object.create(null);
  const bySite: Record<string, number> = Object.create(null);
  const siteCounts = new Map<number, number>();
  let global = 0;
  // Counts per type code, then named in the order the types were first met.
  const typeCount = new Int32Array(typeNames.length);
  const typeOrder: number[] = [];
  // Deleted entities per site set, then per site: an entity of 5,000 sites costs one count, not 5,000.
  const setCounts = new Map<number, number>();
  let lastSet = 0;
  let lastSetCount = 0;
  for (let i = 0; i < tail; i++) {
    const x = queue[i];
    const code = typeCodes[x];
    if (typeCount[code]++ === 0) typeOrder.push(code);
    const set = sites.setOf(x);
    if (set === 0) global++;
    else if (set === lastSet) lastSetCount++; // runs of one set (one site's content): count, then add once
    else {
      if (lastSet !== 0) setCounts.set(lastSet, (setCounts.get(lastSet) ?? 0) + lastSetCount);
      lastSet = set;
      lastSetCount = 1;
    }
  }
  if (lastSet !== 0) setCounts.set(lastSet, (setCounts.get(lastSet) ?? 0) + lastSetCount);
  for (const [set, count] of setCounts) {
    const s = sites.sets.get(set);
    for (let k = 0; k < s.length; k++) siteCounts.set(s[k], (siteCounts.get(s[k]) ?? 0) + count);
  }
  for (const code of typeOrder) byType[typeNames[code]] = typeCount[code];
  const siteSummaries: SiteSummary[] = [...siteCounts]
    .map(([s, count]) => {
      const entry: SiteSummary = { id: g.idOf(s), deleted: count, siteDeleted: isDeleted(s) };
      const name = g.nameOf(s);
      if (name !== undefined) entry.name = name;
      return entry;
    })
    .sort((a, b) => b.deleted - a.deleted || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const s of siteSummaries) bySite[s.id] = s.deleted;

  if (limits.maxDeleted !== undefined && tail > limits.maxDeleted) {
    violations.push({
      rule: 'max-deleted',
      message: `${tail} entities would be deleted; the limit is ${limits.maxDeleted}`,
      entity: null,
      chain: [],
    });
  }
  if (limits.maxSites !== undefined && siteSummaries.length > limits.maxSites) {
    violations.push({
      rule: 'max-sites',
      message: `the deletion reaches ${siteSummaries.length} ${boundary}s; the limit is ${limits.maxSites}`,
      entity: null,
      chain: [],
    });
  }
  const ruleRank = new Map<string, number>(RULES.map((r, i) => [r, i]));
  // Stable sort keeps discovery order within a rule.
  violations.sort((a, b) => ruleRank.get(a.rule)! - ruleRank.get(b.rule)!);

  return {
    verdict: violations.length ? 'fail' : 'pass',
    boundary,
    roots: rootIds,
    deleted,
    detached,
    spared,
    violations,
    summary: {
      deleted: tail,
      byType,
      bySite,
      global,
      detached: full ? detached.length : detachedOnly.size,
      spared: sparedCount,
      sites: siteSummaries,
    },
    order: full ? deletionOrder(g, ws, q, tail, idAt) : { delete: [], restore: [] },
    ...(full ? {} : { detail: 'summary' as const }),
  };

  /**
   * cross-boundary: a deleted entity with a site that none of the roots reaching it (through the deletion) has.
   * Fast path: its sites are among those of the root whose closure reached it first. Otherwise the sites of every
   * root that reaches it are needed: reach(x) = (x is a root ? sites(x) : ∅) ∪ reach(z) over the deleted z that x
   * depends on through cascade or last-owner. That is a dataflow over the deleted entities above the slow-path
   * ones, solved once by strongly connected components (owners first) with interned site-set ids, so an entity
   * with one owner reuses the owner's set, and 20,000 entities below a user of 5,000 deleted sites cost one union
   * of 5,000, not 20,000 walks. Subset checks are memoised by pair of set ids.
   */
  function crossBoundary(
    g: GraphIndex,
    ws: Workspace,
    q: number,
    sites: SiteIndex,
    count: number,
    label: (ix: number) => string,
    chain: (x: number) => ChainLink[],
    out: Violation[],
  ): void {
    const { queue, rootOf, stamp, state, semantics, reach } = ws;
    let local: SiteSets | undefined; // query-local set table: unions made here do not grow the graph's table
    const subset = (a: number, b: number) => {
      if (a === b || a === 0) return true;
      if (sites.sets.get(a).length > sites.sets.get(b).length) return false;
      return (local ??= sites.sets.extend()).subset(a, b);
    };
    const slow: number[] = [];
    for (let i = 0; i < count; i++) {
      const x = queue[i];
      if (!subset(sites.setOf(x), sites.setOf(rootOf[x]))) slow.push(x);
    }
    if (slow.length === 0) return;
    const sets = (local ??= sites.sets.extend());
    const followed = (w: number, t: number) => (semantics[t] === CASCADE || semantics[t] === LAST_OWNER) && stamp[w] === q && state[w] === DELETED;
    const ids: number[] = [];
    stronglyConnected(
      g.outgoing,
      { stamp: ws.searchStamp, index: ws.aux, low: ws.aux2, onStack: ws.onStack },
      nextSearch(ws),
      slow,
      followed,
      (members) => {
        for (const m of members) reach[m] = -1; // -1: in the component being solved
        ids.length = 0;
        for (const m of members) {
          if (rootOf[m] === m) ids.push(sites.setOf(m));
          for (let e = outOff[m]; e < outOff[m + 1]; e++) {
            const z = outNodes[e];
            if (followed(z, outTypes[e]) && reach[z] >= 0) ids.push(reach[z]);
          }
        }
        const id = sets.union(ids);
        for (const m of members) reach[m] = id;
      },
    );
    // reach[] is read below only for the slow-path entities, which the search above just solved (later searches
    // reuse the search stamps, not reach[]).
    for (const x of slow) {
      const own = sites.sitesOf(x);
      const r = reach[x];
      if (sets.subset(sites.setOf(x), r)) continue;
      // The message lists the roots' sites in the order a walk from x meets them (as it always has); the walk
      // stops once it has met all of reach(x), which is known, and is not needed for one site or none.
      const reached = sets.get(r);
      const total = reached.length;
      const covered = new Set<number>(total === 1 ? reached : []);
      if (total > 1) {
        const s = nextSearch(ws);
        const stack = ws.aux;
        let top = 0;
        stack[top++] = x;
        ws.searchStamp[x] = s;
        while (top > 0 && covered.size < total) {
          const y = stack[--top];
          if (rootOf[y] === y) {
            const rs = sites.sitesOf(y);
            for (let k = 0; k < rs.length; k++) covered.add(rs[k]);
          }
          for (let e = outOff[y]; e < outOff[y + 1]; e++) {
            const z = outNodes[e];
            if (!followed(z, outTypes[e]) || ws.searchStamp[z] === s) continue;
            ws.searchStamp[z] = s;
            stack[top++] = z;
          }
        }
      }
      const outside = Array.from(own).filter((site) => !covered.has(site));
      const from = covered.size ? `the targets that delete it belong only to ${Array.from(covered, label).join(', ')}` : 'the targets that delete it belong to no ' + g.schema.boundary;
      out.push({
        rule: 'cross-boundary',
        message: `${label(x)} belongs to ${Array.from(own, label).join(', ')}, but ${from}: the deletion crosses into ${outside.map(label).join(', ')}`,
        entity: g.idOf(x),
        chain: chain(x),
      });
    }
  }
}

/**
 * The strongly connected components of the deleted entities over every relation that means something on deletion.
 * Edges run from dependent to dependency, so components come out dependencies first: that is the restore order.
 */
function deletionOrder(
  g: GraphIndex,
  ws: Workspace,
  q: number,
  count: number,
  idAt: readonly string[],
): { delete: string[][]; restore: string[][] } {
  const scratch = { stamp: ws.searchStamp, index: ws.aux, low: ws.aux2, onStack: ws.onStack };
  const restore: string[][] = [];
  stronglyConnected(
    g.outgoing,
    scratch,
    nextSearch(ws),
    ws.queue.subarray(0, count),
    (w, t) => ws.semantics[t] !== NONE && ws.stamp[w] === q && ws.state[w] === DELETED,
    (members) => restore.push(members.length === 1 ? [idAt[ws.pos[members[0]]]] : members.map((x) => idAt[ws.pos[x]]).sort()),
  );
  return { delete: restore.slice().reverse(), restore };
}
