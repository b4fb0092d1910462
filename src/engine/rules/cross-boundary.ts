// cross-boundary: a deleted entity with a site that none of the targets reaching it (through the deletion) has —
// a user of two sites deleted through one of them.
//
// Fast path: its sites are among those of the root whose closure reached it first. Otherwise the sites of every
// root that reaches it are needed: reach(x) = (x is a root ? sites(x) : ∅) ∪ reach(z) over the deleted z that x
// depends on through cascade or last-owner. That is a dataflow over the deleted entities above the slow-path ones,
// solved once by strongly connected components (owners first) with interned site-set ids, so an entity with one
// owner reuses the owner's set, and 20,000 entities below a user of 5,000 deleted sites cost one union of 5,000,
// not 20,000 walks. Subset checks are memoised by pair of set ids.
import { stronglyConnected } from '../scc.js';
import type { SiteSets } from '../sites.js';
import { ownershipMask } from '../toolkit/masks.js';
import { planRule, type PlanContext } from './types.js';
import type { Violation } from '../result.js';

export const crossBoundary = planRule({
  name: 'cross-boundary',
  help: 'entities of other sites deleted through these targets',
  anchor: 'target',
  order: 50,
  check: checkCrossBoundary,
});

function checkCrossBoundary(ctx: PlanContext, out: Violation[]): void {
  const { g, sites, deleted, rootOf, reach, isDeleted, label, chain } = ctx;
  const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
  const own = ownershipMask(g);
  let local: SiteSets | undefined; // query-local set table: unions made here do not grow the graph's table
  const subset = (a: number, b: number) => {
    if (a === b || a === 0) return true;
    if (sites.sets.get(a).length > sites.sets.get(b).length) return false;
    return (local ??= sites.sets.extend()).subset(a, b);
  };
  const slow: number[] = [];
  for (let i = 0; i < deleted.length; i++) {
    const x = deleted[i];
    if (!subset(sites.setOf(x), sites.setOf(rootOf[x]))) slow.push(x);
  }
  if (slow.length === 0) return;
  const sets = (local ??= sites.sets.extend());
  const followed = (w: number, t: number) => own[t] === 1 && isDeleted(w);
  const ids: number[] = [];
  stronglyConnected(g.outgoing, ctx.scc, ctx.nextSearch(), slow, followed, (members) => {
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
  });
  // reach[] is read below only for the slow-path entities, which the search above just solved (later searches
  // reuse the search stamps, not reach[]).
  for (const x of slow) {
    const ownSites = sites.sitesOf(x);
    const r = reach[x];
    if (sets.subset(sites.setOf(x), r)) continue;
    // The message lists the roots' sites in the order a walk from x meets them (as it always has); the walk
    // stops once it has met all of reach(x), which is known, and is not needed for one site or none.
    const reached = sets.get(r);
    const total = reached.length;
    const covered = new Set<number>(total === 1 ? reached : []);
    if (total > 1) {
      const s = ctx.nextSearch();
      const mark = ctx.scc.stamp;
      const stack = ctx.scc.index; // free between searches
      let top = 0;
      stack[top++] = x;
      mark[x] = s;
      while (top > 0 && covered.size < total) {
        const y = stack[--top];
        if (rootOf[y] === y) {
          const rs = sites.sitesOf(y);
          for (let k = 0; k < rs.length; k++) covered.add(rs[k]);
        }
        for (let e = outOff[y]; e < outOff[y + 1]; e++) {
          const z = outNodes[e];
          if (!followed(z, outTypes[e]) || mark[z] === s) continue;
          mark[z] = s;
          stack[top++] = z;
        }
      }
    }
    const outside = Array.from(ownSites).filter((site) => !covered.has(site));
    const from = covered.size
      ? `the targets that delete it belong only to ${Array.from(covered, label).join(', ')}`
      : 'the targets that delete it belong to no ' + g.schema.boundary;
    out.push({
      rule: 'cross-boundary',
      message: `${label(x)} belongs to ${Array.from(ownSites, label).join(', ')}, but ${from}: the deletion crosses into ${outside.map(label).join(', ')}`,
      entity: g.idOf(x),
      ...chain(x),
    });
  }
}
