// Chains: the proof of a violation, from a root to the entity, each link naming the relation by which it points at
// the previous one. Built from a walk's parent pointers (plan, root-boundary) or from a result's `via` fields.
//
// Two key orders exist and are kept, because the JSON output is byte-stable: plan chains put `name` before
// `relation` ({id, type, name, relation, onDelete}); chains rebuilt from a result and root-boundary chains put it
// after ({id, type, relation, name, onDelete}). Unify them only in a release that may change the output bytes.
import type { GraphIndex } from '../../model/graph.js';
import type { ChainLink, DeletedEntity, PlanResult, ViolationChain } from '../result.js';
import { entityRef } from './labels.js';

/** A violation's chain longer than this is elided in the result: its first and last CHAIN_ENDS links and its length. */
export const CHAIN_LIMIT = 12;
export const CHAIN_ENDS = 5;

/** A chain as a violation carries it: whole when short, else its ends and its length. */
export function elidedChain(links: ChainLink[]): ViolationChain {
  if (links.length <= CHAIN_LIMIT) return { chain: links };
  return { chain: [...links.slice(0, CHAIN_ENDS), ...links.slice(links.length - CHAIN_ENDS)], chainLength: links.length };
}

/**
 * Elided chains over parent pointers in O(CHAIN_LIMIT) per chain (amortized), never O(depth): every node's depth and
 * its ancestor at depth CHAIN_ENDS - 1 are memoized on first use, walking up only to the nearest node already known.
 * `parentOf` gives undefined at a root; a cycle (only in a forged result) ends the chain where it closes.
 */
function elidedChains<K>(parentOf: (k: K) => K | undefined, linkOf: (k: K) => ChainLink): (k: K) => ViolationChain {
  const depth = new Map<K, number>();
  const head = new Map<K, K>(); // the ancestor at depth CHAIN_ENDS - 1 (itself when shallower)
  const learn = (x: K) => {
    const path: K[] = [];
    const onPath = new Set<K>();
    let c: K | undefined = x;
    while (c !== undefined && !depth.has(c) && !onPath.has(c)) {
      path.push(c);
      onPath.add(c);
      c = parentOf(c);
    }
    // c is known, undefined (past a root) or on the path (a cycle: treat the closing node as a root).
    let d = c !== undefined && depth.has(c) ? depth.get(c)! : -1;
    let h = c !== undefined && depth.has(c) ? head.get(c) : undefined;
    for (let i = path.length - 1; i >= 0; i--) {
      d++;
      const k = path[i];
      if (d <= CHAIN_ENDS - 1) h = k;
      depth.set(k, d);
      head.set(k, h!);
    }
  };
  // Up to `n` links ending at `x`, in chain order (stops at a root, or at a node seen when the chain is cyclic).
  const upFrom = (x: K, n: number): ChainLink[] => {
    const links: ChainLink[] = [];
    for (let c: K | undefined = x; c !== undefined && links.length < n; c = parentOf(c)) links.push(linkOf(c));
    return links.reverse();
  };
  return (x) => {
    if (!depth.has(x)) learn(x);
    const length = depth.get(x)! + 1;
    if (length <= CHAIN_LIMIT) return { chain: upFrom(x, length) };
    return { chain: [...upFrom(head.get(x)!, CHAIN_ENDS), ...upFrom(x, CHAIN_ENDS)], chainLength: length };
  };
}

/**
 * Chains over a closure's pointers: `parent[x]` is the entity that pulled x in (-1 for a root), `via[x]` the
 * relation-type code. One link object per entity, shared by every chain through it, and long chains elided (their
 * ends and length): thousands of violators under one long cascade chain cost O(violations) links, not
 * O(violations × depth). Valid while the pointers are.
 */
export function closureChains(g: GraphIndex, parent: Int32Array, via: Int32Array): (x: number) => ViolationChain {
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
  return elidedChains((c) => (parent[c] >= 0 ? parent[c] : undefined), linkOf);
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

/** Like resultChains, elided as a violation carries its chain (for the manifest rules: one per deleted entity at most). */
export function resultViolationChains(result: PlanResult): (id: string) => ViolationChain {
  let byId: Map<string, DeletedEntity> | undefined;
  const index = () => (byId ??= new Map(result.deleted.map((d) => [d.id, d])));
  const elided = elidedChains<DeletedEntity>((d) => (d.via ? index().get(d.via.principal) : undefined), resultLink);
  return (id) => {
    const d = index().get(id);
    return d ? elided(d) : { chain: [] };
  };
}
