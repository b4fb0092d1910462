// Chains: the proof of a violation, from a root to the entity, each link naming the relation by which it points at
// the previous one. Built from a walk's parent pointers (plan, root-boundary) or from a result's `via` fields.
//
// Two key orders exist and are kept, because the JSON output is byte-stable: plan chains put `name` before
// `relation` ({id, type, name, relation, onDelete}); chains rebuilt from a result and root-boundary chains put it
// after ({id, type, relation, name, onDelete}). Unify them only in a release that may change the output bytes.
import type { GraphIndex } from '../../model/graph.js';
import type { ChainLink, DeletedEntity, PlanResult } from '../result.js';
import { entityRef } from './labels.js';

/**
 * Chains over a closure's pointers: `parent[x]` is the entity that pulled x in (-1 for a root), `via[x]` the
 * relation-type code. One link object per entity, shared by every chain through it: thousands of violators under
 * one long cascade chain cost O(violations × depth) references, not copies. Valid while the pointers are.
 */
export function closureChains(g: GraphIndex, parent: Int32Array, via: Int32Array): (x: number) => ChainLink[] {
  const links = new Map<number, ChainLink>();
  const linkOf = (c: number): ChainLink => {
    let link = links.get(c);
    if (!link) {
      const rel = via[c];
      link = { ...entityRef(g, c), relation: rel < 0 ? null : g.relationTypeNames[rel] };
      if (rel >= 0) link.onDelete = g.relationSemantics[rel];
      links.set(c, link);
    }
    return link;
  };
  return (x) => {
    const out: ChainLink[] = [];
    for (let c = x; c >= 0; c = parent[c]) out.push(linkOf(c));
    return out.reverse();
  };
}

/** The chain to `x` over parent pointers as closureChains() reads them, with fresh links in result key order. */
export function parentChain(g: GraphIndex, parent: Int32Array, via: Int32Array, x: number): ChainLink[] {
  const links: ChainLink[] = [];
  for (let c = x; c >= 0; c = parent[c]) {
    const link: ChainLink = { id: g.idOf(c), type: g.typeOf(c), relation: parent[c] < 0 ? null : g.relationTypeNames[via[c]] };
    const name = g.nameOf(c);
    if (name !== undefined) link.name = name;
    if (parent[c] >= 0) link.onDelete = g.relationSemantics[via[c]];
    links.push(link);
  }
  return links.reverse();
}

/** The link of a deleted entity of a result (result key order). */
function resultLink(d: DeletedEntity): ChainLink {
  const link: ChainLink = { id: d.id, type: d.type, relation: d.via?.relation ?? null };
  if (d.name !== undefined) link.name = d.name;
  if (d.via) link.onDelete = d.via.onDelete;
  return link;
}

/**
 * A function giving the chain from a root to `id`, rebuilt from the `via` fields of a result (empty when `id` is
 * not deleted). The result's entities are indexed once, on the first chain asked for, for every chain.
 */
export function resultChains(result: PlanResult): (id: string) => ChainLink[] {
  let byId: Map<string, DeletedEntity> | undefined; // built on the first chain asked for
  return (id) => {
    byId ??= new Map(result.deleted.map((d) => [d.id, d]));
    const links: ChainLink[] = [];
    let cur = byId.get(id);
    const seen = new Set<string>();
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      links.push(resultLink(cur));
      cur = cur.via ? byId.get(cur.via.principal) : undefined;
    }
    return links.reverse();
  };
}
