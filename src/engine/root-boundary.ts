// Per-root boundaries: each root's own closure must stay inside that root's own sites, not merely inside the sites
// of all the roots together. Pure; runs after the joint closure, on the entities it deleted.
//
// Definition (what the rule `root-boundary` reports):
//   - Roots are grouped by their exact site set (roots with the same sites, e.g. the products of one site, are one
//     intent and are checked together).
//   - For each group, its own closure is recomputed inside the joint deletion: cascade dependents follow at once,
//     last-owner dependents only once every one of their last-owner owners is in the group's own closure (so a user
//     of sites A and B, deleted because A and B are both targets, is in neither root's own closure).
//   - An entity reached this way is "inside" when all its sites are among the group's sites (global entities, with no
//     site, are always inside). The walk does not go past an entity that is outside: that entity is where the
//     group's deletion leaves its sites, and it is reported once (not everything that hangs below it), unless
//     `cross-boundary` already reported it.
// Cost: an entity inside a group's sites has (barring ownership cycles through a boundary entity) exactly that
// group's site set, so it is expanded by at most one group; entities outside are touched once per group that
// reaches them but never expanded. Many roots sharing one big closure therefore cost one walk of it, not one per
// root: O(closure + relations scanned), with no per-query allocation beyond the list of violations.
import type { GraphIndex } from '../store/compact.js';
import type { ChainLink, Violation } from './result.js';
import { lastOwnerCounts, sortedMinus, type SiteIndex } from './sites.js';

interface Workspace {
  round: number;
  stamp: Int32Array;
  /** -1: reached; > 0: last-owner dependent waiting for that many more owners. Valid where stamp === round. */
  remaining: Int32Array;
  parent: Int32Array;
  via: Int32Array;
  queue: Int32Array;
  ownerCount: Int32Array;
  /** Per relation-type code: 1 cascade, 2 last-owner, 0 anything else. */
  kind: Uint8Array;
}

const workspaces = new WeakMap<GraphIndex, Workspace>();

function workspace(g: GraphIndex): Workspace {
  let ws = workspaces.get(g);
  if (ws) return ws;
  const n = g.size;
  const kind = Uint8Array.from(g.relationSemantics, (s) => (s === 'cascade' ? 1 : s === 'last-owner' ? 2 : 0));
  const ownerCount = lastOwnerCounts(g);
  ws = {
    round: 0,
    stamp: new Int32Array(n),
    remaining: new Int32Array(n),
    parent: new Int32Array(n),
    via: new Int32Array(n),
    queue: new Int32Array(n),
    ownerCount,
    kind,
  };
  workspaces.set(g, ws);
  return ws;
}


/**
 * `roots`: entity indices of the (known, distinct) roots. `isDeleted`: membership in the joint closure.
 * `alreadyReported`: entities that `cross-boundary` flagged (not reported again here).
 */
export function rootBoundary(
  g: GraphIndex,
  sites: SiteIndex,
  roots: readonly number[],
  isDeleted: (ix: number) => boolean,
  alreadyReported: ReadonlySet<number>,
): Violation[] {
  const out: Violation[] = [];
  if (roots.length === 0) return out;
  const ws = workspace(g);
  const { stamp, remaining, parent, via, queue, ownerCount, kind } = ws;
  const { offsets, nodes, types } = g.incoming;
  // Equal site sets have equal ids (interned), so the set id is the group key.
  const groups = new Map<number, number[]>();
  for (const r of roots) {
    const key = sites.setOf(r);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  // One group: its own closure is the joint closure, and every entity outside the group's sites that the walk could
  // reach was already reported by cross-boundary (the roots that reach it all have exactly these sites). Skipping
  // the walk keeps the common single-target plan at one traversal.
  if (groups.size === 1) return out;
  const reported = new Set<number>();
  const label = (ix: number) => {
    const name = g.nameOf(ix);
    return name !== undefined && name !== '' ? `${g.idOf(ix)} (${name})` : g.idOf(ix);
  };
  const chain = (x: number): ChainLink[] => {
    const links: ChainLink[] = [];
    for (let c = x; c >= 0; c = parent[c]) {
      const link: ChainLink = { id: g.idOf(c), type: g.typeOf(c), relation: parent[c] < 0 ? null : g.relationTypeNames[via[c]] };
      const name = g.nameOf(c);
      if (name !== undefined) link.name = name;
      if (parent[c] >= 0) link.onDelete = g.relationSemantics[via[c]];
      links.push(link);
    }
    return links.reverse();
  };
  // Subset answers by pair of set ids, for this call: a shared entity of 5,000 sites reached by every group costs
  // one comparison per distinct pair, not one per group and entity.
  const sets = sites.sets.extend();
  const siteList = (s: Int32Array) => (s.length ? Array.from(s, label).join(', ') : `no ${g.schema.boundary}`);

  for (const members of groups.values()) {
    if (ws.round === 0x7fffffff) {
      stamp.fill(0);
      ws.round = 0;
    }
    const round = ++ws.round;
    const ownSet = sites.setOf(members[0]);
    const own = sites.sitesOf(members[0]);
    let tail = 0;
    for (const r of members) {
      if (stamp[r] === round) continue;
      stamp[r] = round;
      remaining[r] = -1;
      parent[r] = -1;
      via[r] = -1;
      queue[tail++] = r;
    }
    for (let head = 0; head < tail; head++) {
      const x = queue[head];
      for (let e = offsets[x]; e < offsets[x + 1]; e++) {
        const k = kind[types[e]];
        if (k === 0) continue;
        const f = nodes[e];
        if (!isDeleted(f)) continue;
        if (stamp[f] === round && remaining[f] < 0) continue;
        if (k === 2) {
          if (stamp[f] !== round) {
            stamp[f] = round;
            remaining[f] = ownerCount[f];
          }
          if (--remaining[f] > 0) continue;
        } else stamp[f] = round;
        remaining[f] = -1;
        parent[f] = x;
        via[f] = types[e];
        if (sets.subset(sites.setOf(f), ownSet)) {
          queue[tail++] = f;
          continue;
        }
        if (reported.has(f) || alreadyReported.has(f)) continue;
        reported.add(f);
        const fs = sites.sitesOf(f);
        const links = chain(f);
        const root = g.indexOf(links[0].id);
        const outside = sortedMinus(fs, own);
        out.push({
          rule: 'root-boundary',
          message: `${label(f)} belongs to ${siteList(fs)}; target ${label(root)} (in ${siteList(own)}) reaches it on its own, so that target alone would cross into ${outside.map(label).join(', ')}`,
          entity: g.idOf(f),
          chain: links,
        });
      }
    }
  }
  return out;
}
