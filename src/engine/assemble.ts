// The lists and counts of a plan, read off its closure: the deleted entities (with sites, depth and the relation
// that deleted each), the detached and the spared ones, and the summary by type and site. Pure.
import type { GraphIndex } from '../model/graph.js';
import type { PlanClosure } from './closure.js';
import type { DeletedEntity, DetachedEntity, PlanSummary, SiteSummary, SparedEntity } from './result.js';
import type { SiteIndex } from './sites.js';
import { byCodeUnit } from '../model/compare.js';
import { siteIdLists } from './toolkit/labels.js';
import { LAST_OWNER } from './toolkit/masks.js';

export interface Assembled {
  deleted: DeletedEntity[];
  /** The ID of ws.queue[i], for the deletion order (empty for a summary). */
  idAt: string[];
  detached: DetachedEntity[];
  spared: SparedEntity[];
  summary: PlanSummary;
}

/** `full`: every list; otherwise empty lists, and the counts only. */
export function assemble(g: GraphIndex, sites: SiteIndex, c: PlanClosure, full: boolean): Assembled {
  const siteIds = siteIdLists(g, sites);
  const { deleted, idAt } = deletedList(g, c, siteIds, full);
  const { detached, detachedCount } = detachedList(g, c, siteIds, full);
  const { spared, sparedCount } = sparedList(g, c, siteIds, full);
  const summary = summarize(g, sites, c);
  summary.detached = detachedCount;
  summary.spared = sparedCount;
  return { deleted, idAt, detached, spared, summary };
}

/**
 * Deleted entities, in the order the closure reached them (depth ascending). Each ID is decoded once: a principal
 * comes before what it pulled in, and the order reuses the same strings. Entries are built directly (a spread of
 * an entity reference is a generic object copy per entity).
 */
function deletedList(g: GraphIndex, c: PlanClosure, siteIds: (ix: number) => string[], full: boolean): { deleted: DeletedEntity[]; idAt: string[] } {
  const { queue, principal, viaRelation, depth, pos } = c.ws;
  const tail = c.count;
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
  return { deleted, idAt };
}

/** Detached: survivors whose relation to a deleted entity is removed. */
function detachedList(g: GraphIndex, c: PlanClosure, siteIds: (ix: number) => string[], full: boolean): { detached: DetachedEntity[]; detachedCount: number } {
  const { isDeleted } = c;
  const detachCand = c.cand.detach;
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
  return { detached, detachedCount: full ? detached.length : detachedOnly.size };
}

/** Spared: last-owner dependents with an owner that survives. */
function sparedList(g: GraphIndex, c: PlanClosure, siteIds: (ix: number) => string[], full: boolean): { spared: SparedEntity[]; sparedCount: number } {
  const { isDeleted } = c;
  const { semantics } = c.ws;
  const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
  const spared: SparedEntity[] = [];
  let sparedCount = 0;
  for (const f of c.cand.pending) {
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
  return { spared, sparedCount };
}

/** Counts by type and by site (detached and spared are filled in by assemble()). */
function summarize(g: GraphIndex, sites: SiteIndex, c: PlanClosure): PlanSummary {
  const { queue } = c.ws;
  const tail = c.count;
  const typeNames = g.typeNames;
  const typeCodes = g.typeCodes;
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
    else if (set === lastSet)
      lastSetCount++; // runs of one set (one site's content): count, then add once
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
      const entry: SiteSummary = { id: g.idOf(s), deleted: count, siteDeleted: c.isDeleted(s) };
      const name = g.nameOf(s);
      if (name !== undefined) entry.name = name;
      return entry;
    })
    .sort((a, b) => b.deleted - a.deleted || byCodeUnit(a.id, b.id));
  for (const s of siteSummaries) bySite[s.id] = s.deleted;
  return { deleted: tail, byType, bySite, global, detached: 0, spared: 0, sites: siteSummaries };
}
