// The cascade engine: the closure of a deletion under the schema's onDelete rules, with sites, chains, order and
// violations. Pure: no I/O, and nothing here knows which backend built the graph.
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
import { siteIndex, type SiteIndex } from './sites.js';

export interface PlanOptions {
  intent?: Intent;
  limits?: Limits;
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
  // Secondary stamps for searches that run after the closure (cross-boundary, order).
  search: number;
  searchStamp: Int32Array;
  aux: Int32Array;
  aux2: Int32Array;
  onStack: Uint8Array;
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
  const ownerCount = new Int32Array(n);
  const { offsets, types } = g.outgoing;
  for (let i = 0; i < n; i++) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) if (semantics[types[e]] === LAST_OWNER) ownerCount[i]++;
  }
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
    search: 0,
    searchStamp: new Int32Array(n),
    aux: new Int32Array(n),
    aux2: new Int32Array(n),
    onStack: new Uint8Array(n),
    semantics,
    ownerCount,
  };
  workspaces.set(g, ws);
  return ws;
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

function subset(a: Int32Array, b: Int32Array): boolean {
  // Both sorted ascending.
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    while (j < b.length && b[j] < a[i]) j++;
    if (j === b.length || b[j] !== a[i]) return false;
  }
  return true;
}

/** Computes the plan for deleting `roots` from `g`. */
export function plan(g: GraphIndex, roots: readonly string[], options: PlanOptions = {}): PlanResult {
  const intent = options.intent ?? {};
  const limits = options.limits ?? {};
  const ws = workspace(g);
  const sites = siteIndex(g);
  const q = nextQuery(ws);
  const { stamp, state, depth, principal, viaRelation, rootOf, remaining, queue, semantics, ownerCount } = ws;
  const { offsets: inOff, nodes: inNodes, types: inTypes } = g.incoming;
  const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
  const isDeleted = (x: number) => stamp[x] === q && state[x] === DELETED;

  const violations: Violation[] = [];
  const rootIds: string[] = [];
  const seenRoot = new Set<string>();
  let tail = 0;
  const markDeleted = (x: number, d: number, p: number, rel: number) => {
    stamp[x] = q;
    state[x] = DELETED;
    depth[x] = d;
    principal[x] = p;
    viaRelation[x] = rel;
    rootOf[x] = p < 0 ? x : rootOf[p];
    queue[tail++] = x;
  };

  const unknown: string[] = [];
  for (const id of roots) {
    if (seenRoot.has(id)) continue;
    seenRoot.add(id);
    rootIds.push(id);
    const ix = g.indexOf(id);
    if (ix < 0) unknown.push(id);
    else if (!isDeleted(ix)) markDeleted(ix, 0, -1, -1);
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
  const detachCand: number[] = [];
  const restrictCand: number[] = [];
  const protectCand: number[] = [];
  const pending: number[] = [];

  for (let head = 0; head < tail; head++) {
    const x = queue[head];
    const d = depth[x] + 1;
    for (let e = inOff[x]; e < inOff[x + 1]; e++) {
      const f = inNodes[e];
      const t = inTypes[e];
      switch (semantics[t]) {
        case CASCADE:
          if (!isDeleted(f)) markDeleted(f, d, x, t);
          break;
        case LAST_OWNER:
          if (isDeleted(f)) break;
          if (stamp[f] !== q) {
            stamp[f] = q;
            state[f] = PENDING;
            remaining[f] = ownerCount[f];
            pending.push(f);
          }
          if (--remaining[f] === 0) markDeleted(f, d, x, t);
          break;
        case DETACH:
          detachCand.push(f, x, t);
          break;
        case RESTRICT:
          restrictCand.push(f, x, t);
          break;
        case PROTECT:
          protectCand.push(f, x, t);
          break;
      }
    }
  }

  const ref = (ix: number) => {
    const r: { id: string; type: string; name?: string } = { id: g.idOf(ix), type: g.typeOf(ix) };
    const name = g.nameOf(ix);
    if (name !== undefined) r.name = name;
    return r;
  };
  const siteIds = (ix: number) => Array.from(sites.sitesOf(ix), (s) => g.idOf(s));
  const chain = (x: number): ChainLink[] => {
    const links: ChainLink[] = [];
    for (let c = x; c >= 0; c = principal[c]) {
      const rel = viaRelation[c];
      const link: ChainLink = { ...ref(c), relation: rel < 0 ? null : g.relationTypeNames[rel] };
      if (rel >= 0) link.onDelete = g.relationSemantics[rel];
      links.push(link);
    }
    return links.reverse();
  };
  const label = (ix: number) => {
    const name = g.nameOf(ix);
    return name !== undefined && name !== '' ? `${g.idOf(ix)} (${name})` : g.idOf(ix);
  };

  // Deleted entities, in the order the closure reached them (depth ascending).
  const deleted: DeletedEntity[] = new Array(tail);
  for (let i = 0; i < tail; i++) {
    const x = queue[i];
    const p = principal[x];
    deleted[i] = {
      ...ref(x),
      sites: siteIds(x),
      depth: depth[x],
      via: p < 0 ? null : { relation: g.relationTypeNames[viaRelation[x]], onDelete: g.relationSemantics[viaRelation[x]], principal: g.idOf(p) },
    };
  }

  // Detached: survivors whose relation to a deleted entity is removed.
  const detachedMap = new Map<number, DetachedEntity>();
  for (let i = 0; i < detachCand.length; i += 3) {
    const f = detachCand[i];
    if (isDeleted(f)) continue;
    let entry = detachedMap.get(f);
    if (!entry) detachedMap.set(f, (entry = { ...ref(f), sites: siteIds(f), links: [] }));
    entry.links.push({ relation: g.relationTypeNames[detachCand[i + 2]], to: g.idOf(detachCand[i + 1]) });
  }
  const detached = [...detachedMap.values()];

  // Spared: last-owner dependents with an owner that survives.
  const spared: SparedEntity[] = [];
  for (const f of pending) {
    if (isDeleted(f)) continue;
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
    spared.push({
      ...ref(f),
      sites: siteIds(f),
      relation: g.relationTypeNames[relation],
      keptBy: keptBy >= 0 ? g.idOf(keptBy) : g.idOf(f),
      deletedOwners,
    });
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
  for (let i = 0; i < tail; i++) {
    const x = queue[i];
    const type = g.typeOf(x);
    byType[type] = (byType[type] ?? 0) + 1;
    const s = sites.sitesOf(x);
    if (s.length === 0) global++;
    for (let k = 0; k < s.length; k++) siteCounts.set(s[k], (siteCounts.get(s[k]) ?? 0) + 1);
  }
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
      detached: detached.length,
      spared: spared.length,
      sites: siteSummaries,
    },
    order: deletionOrder(g, ws, q, tail),
  };

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
    for (let i = 0; i < count; i++) {
      const x = ws.queue[i];
      const own = sites.sitesOf(x);
      if (own.length === 0 || subset(own, sites.sitesOf(ws.rootOf[x]))) continue;
      // Slow path: collect the sites of every root that reaches x through the deletion, stopping once covered.
      const covered = new Set<number>();
      const s = nextSearch(ws);
      const stack = ws.aux;
      let top = 0;
      stack[top++] = x;
      ws.searchStamp[x] = s;
      let done = false;
      while (top > 0 && !done) {
        const y = stack[--top];
        if (ws.rootOf[y] === y) {
          const rs = sites.sitesOf(y);
          for (let k = 0; k < rs.length; k++) covered.add(rs[k]);
          done = own.every((site) => covered.has(site));
        }
        for (let e = outOff[y]; e < outOff[y + 1]; e++) {
          const sem = ws.semantics[outTypes[e]];
          if (sem !== CASCADE && sem !== LAST_OWNER) continue;
          const z = outNodes[e];
          if (ws.stamp[z] !== q || ws.state[z] !== DELETED || ws.searchStamp[z] === s) continue;
          ws.searchStamp[z] = s;
          stack[top++] = z;
        }
      }
      if (done) continue;
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
 * Tarjan's strongly connected components over the deleted entities (iterative: deep graphs must not overflow the
 * stack). Edges run from dependent to dependency, so Tarjan emits dependencies first: that is the restore order.
 */
function deletionOrder(g: GraphIndex, ws: Workspace, q: number, count: number): { delete: string[][]; restore: string[][] } {
  const { offsets, nodes, types } = g.outgoing;
  const s = nextSearch(ws);
  const index = ws.aux; // discovery index, valid where searchStamp === s
  const low = ws.aux2;
  const onStack = ws.onStack; // only read where searchStamp === s, and always set before that
  const inDeleted = (x: number) => ws.stamp[x] === q && ws.state[x] === DELETED;
  const sccStack: number[] = [];
  const callStack: number[] = []; // pairs: node, next edge position
  const restore: string[][] = [];
  let counter = 0;
  for (let i = 0; i < count; i++) {
    const start = ws.queue[i];
    if (ws.searchStamp[start] === s) continue;
    ws.searchStamp[start] = s;
    index[start] = low[start] = counter++;
    sccStack.push(start);
    onStack[start] = 1;
    callStack.push(start, offsets[start]);
    while (callStack.length) {
      const top = callStack.length - 2;
      const v = callStack[top];
      let e = callStack[top + 1];
      let descended = false;
      for (; e < offsets[v + 1]; e++) {
        if (ws.semantics[types[e]] === NONE) continue;
        const w = nodes[e];
        if (!inDeleted(w)) continue;
        if (ws.searchStamp[w] !== s) {
          callStack[top + 1] = e + 1;
          ws.searchStamp[w] = s;
          index[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callStack.push(w, offsets[w]);
          descended = true;
          break;
        } else if (onStack[w] === 1 && index[w] < low[v]) {
          low[v] = index[w];
        }
      }
      if (descended) continue;
      callStack.length = top;
      if (low[v] === index[v]) {
        const group: string[] = [];
        let w: number;
        do {
          w = sccStack.pop()!;
          onStack[w] = 0;
          group.push(g.idOf(w));
        } while (w !== v);
        group.sort();
        restore.push(group);
      }
      if (callStack.length) {
        const parent = callStack[callStack.length - 2];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  return { delete: restore.slice().reverse(), restore };
}
