// cross-boundary-relation: A -T-> B (cascade or last-owner) where A is not a site and A's sites differ from B's.
// A always has every site of B, so "differ" means A also belongs to a site that B does not: deleting B (or B's
// sites) deletes A there too. A last-owner relation counts only when every last-owner target of A lies inside B's
// sites, so that deleting those sites really deletes A (a user who is a member of two sites is not a finding).
import type { GraphIndex } from '../../model/graph.js';
import type { AuditFinding } from '../audit.js';
import { sortedMinus, type SiteIndex } from '../sites.js';
import { lastOwnerCount, lastOwnerCounts, relationMask } from '../toolkit/masks.js';
import { auditRule, finding, type AuditContext } from './types.js';

export const crossBoundaryRelation = auditRule({
  name: 'cross-boundary-relation',
  help: 'cascade or last-owner relations whose two ends belong to different sites: they carry a deletion across sites',
  order: 10,
  check: checkCrossBoundaryRelation,
});

function checkCrossBoundaryRelation(ctx: AuditContext, out: AuditFinding[]): void {
  const { g, sites, own, label, siteList, entity, relation } = ctx;
  const sem = g.relationSemantics;
  const typeCodes = g.typeCodes;
  const boundaryCode = sites.boundaryCode;
  const boundary = g.schema.boundary;
  const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
  const owners = lastOwnerSites(g, sites);
  for (let a = 0; a < g.size; a++) {
    if (typeCodes[a] === boundaryCode) continue;
    const aSet = sites.setOf(a);
    for (let e = outOff[a]; e < outOff[a + 1]; e++) {
      const t = outTypes[e];
      if (!own[t]) continue;
      const b = outNodes[e];
      const bSet = sites.setOf(b);
      if (aSet === bSet) continue; // interned: equal sets have equal ids
      if (sem[t] === 'last-owner' && !owners.inside(a, bSet)) continue;
      const as = sites.sitesOf(a);
      const bs = sites.sitesOf(b);
      const extra = sortedMinus(as, bs);
      const msg = bs.length
        ? `deleting ${label(b)} deletes ${label(a)} (${g.relationTypeNames[t]}, ${sem[t]}), which also belongs to ${siteList(extra)}`
        : `${label(b)} belongs to no ${boundary}, and deleting it deletes ${label(a)} (${g.relationTypeNames[t]}, ${sem[t]}) in ${siteList(extra)}`;
      const r = relation(a, e);
      out.push(finding('cross-boundary-relation', [r.from, r.type, r.to], `${r.from} ${r.type} ${r.to}`, msg, [entity(a), entity(b)], [r]));
    }
  }
}

/**
 * Whether deleting the sites `inside` (the sites of one last-owner target of `a`, as a set id) can take `a` down:
 * `a` has that one last-owner target only, or every last-owner target of `a` belongs to some site, all of them
 * among `inside`. Per entity, the union of its owners' sites is built once (by set id), so a user with 5,000
 * last-owner targets costs one union, then one subset check per distinct pair of sets.
 */
function lastOwnerSites(g: GraphIndex, sites: SiteIndex): { inside(a: number, inside: number): boolean } {
  const { offsets, nodes, types } = g.outgoing;
  const isLastOwner = relationMask(g, ['last-owner']);
  const counts = lastOwnerCounts(g);
  const sets = sites.sets.extend();
  // Per entity asked about: -1 when some last-owner target belongs to no site, else the union's set id.
  const unionOf = new Map<number, number>();
  const ids: number[] = [];
  return {
    inside(a, inside) {
      if (lastOwnerCount(counts, a) === 1) return true;
      if (inside === 0) return false;
      let u = unionOf.get(a);
      if (u === undefined) {
        ids.length = 0;
        u = 0;
        for (let e = offsets[a]; e < offsets[a + 1] && u === 0; e++) {
          if (!isLastOwner[types[e]]) continue;
          const os = sites.setOf(nodes[e]);
          if (os === 0) u = -1;
          else ids.push(os);
        }
        if (u === 0) u = sets.union(ids);
        unionOf.set(a, u);
      }
      return u >= 0 && sets.subset(u, inside);
    },
  };
}
