// root-boundary: one target, taken on its own, deletes beyond its own sites. Each target's own closure must stay
// inside that target's own sites, not merely inside the sites of all the targets together. Runs after the joint
// closure, on the entities it deleted.
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
import type { Violation } from '../result.js';
import { sortedMinus } from '../sites.js';
import { elidedChain, parentChain } from '../toolkit/chain.js';
import { CASCADE, LAST_OWNER, lastOwnerCount, lastOwnerCounts, semanticCodes } from '../toolkit/masks.js';
import { perGraph } from '../toolkit/per-graph.js';
import { nextRound } from '../toolkit/stamp.js';
import { planRule, type PlanContext } from './types.js';

export const rootBoundary = planRule({
  name: 'root-boundary',
  help: 'a target whose own deletion leaves its own sites (hidden when targets are taken together)',
  anchor: 'target',
  order: 60,
  check: checkRootBoundary,
});

interface Workspace {
  round: number;
  stamp: Int32Array;
  /** -1: reached; > 0: last-owner dependent waiting for that many more owners. Valid where stamp === round. */
  remaining: Int32Array;
  parent: Int32Array;
  via: Int32Array;
  queue: Int32Array;
}

const workspace = perGraph((g): Workspace => {
  const n = g.size;
  return {
    round: 0,
    stamp: new Int32Array(n),
    remaining: new Int32Array(n),
    parent: new Int32Array(n),
    via: new Int32Array(n),
    queue: new Int32Array(n),
  };
});

/** The roots are the known, distinct targets; entities that cross-boundary reported are not reported again. */
function checkRootBoundary(ctx: PlanContext, out: Violation[]): void {
  const { g, sites, deleted, rootCount, isDeleted, label } = ctx;
  if (rootCount === 0) return;
  // Equal site sets have equal ids (interned), so the set id is the group key.
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rootCount; i++) {
    const r = deleted[i];
    const key = sites.setOf(r);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  // One group: its own closure is the joint closure, and every entity outside the group's sites that the walk could
  // reach was already reported by cross-boundary (the roots that reach it all have exactly these sites). Skipping
  // the walk keeps the common single-target plan at one traversal.
  if (groups.size === 1) return;
  const alreadyReported = new Set<number>();
  for (const v of ctx.found) if (v.rule === 'cross-boundary') alreadyReported.add(g.indexOf(v.entity!));
  const ws = workspace(g);
  const { stamp, remaining, parent, via, queue } = ws;
  const kind = semanticCodes(g);
  const ownerCount = lastOwnerCounts(g);
  const { offsets, nodes, types } = g.incoming;
  const reported = new Set<number>();
  // Subset answers by pair of set ids, for this call: a shared entity of 5,000 sites reached by every group costs
  // one comparison per distinct pair, not one per group and entity.
  const sets = sites.sets.extend();
  const siteList = (s: Int32Array) => (s.length ? Array.from(s, label).join(', ') : `no ${g.schema.boundary}`);

  for (const members of groups.values()) {
    const round = (ws.round = nextRound(stamp, ws.round));
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
        if (k !== CASCADE && k !== LAST_OWNER) continue;
        const f = nodes[e];
        if (!isDeleted(f)) continue;
        if (stamp[f] === round && remaining[f] < 0) continue;
        if (k === LAST_OWNER) {
          if (stamp[f] !== round) {
            stamp[f] = round;
            remaining[f] = lastOwnerCount(ownerCount, f);
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
        const links = parentChain(g, parent, via, f);
        const root = g.indexOf(links[0].id);
        const outside = sortedMinus(fs, own);
        out.push({
          rule: 'root-boundary',
          message: `${label(f)} belongs to ${siteList(fs)}; target ${label(root)} (in ${siteList(own)}) reaches it on its own, so that target alone would cross into ${outside.map(label).join(', ')}`,
          entity: g.idOf(f),
          ...elidedChain(links),
        });
      }
    }
  }
}
