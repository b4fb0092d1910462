// How the engine names entities in results and messages: references, labels, and the site IDs of an entity.
import type { GraphIndex } from '../../model/graph.js';
import type { EntityRef } from '../result.js';
import type { SiteIndex } from '../sites.js';
import { perGraph } from './per-graph.js';

/** `id (name)`, or the ID alone when the entity has no name: how violation and finding messages name an entity. */
export function entityLabel(g: GraphIndex, ix: number): string {
  const name = g.nameOf(ix);
  return name !== undefined && name !== '' ? `${g.idOf(ix)} (${name})` : g.idOf(ix);
}

/** The entity as results reference it: id, type, and name when it has one (in that key order). */
export function entityRef(g: GraphIndex, ix: number): EntityRef {
  const r: EntityRef = { id: g.idOf(ix), type: g.typeOf(ix) };
  const name = g.nameOf(ix);
  if (name !== undefined) r.name = name;
  return r;
}

/** IDs of boundary entities, decoded once per graph (there are few of them, and every plan names them). */
const boundaryIds = perGraph(() => new Map<number, string>());

/**
 * A function giving the site IDs of an entity. Entities with the same sites get the same array from one function
 * (most entities share theirs with their whole site; a user of 5,000 sites shares it with everything below it):
 * never modify it. Make one per result, so arrays are shared within a result and not across results.
 */
export function siteIdLists(g: GraphIndex, sites: SiteIndex): (ix: number) => string[] {
  const decoded = boundaryIds(g);
  const bySet = new Map<number, string[]>();
  return (ix) => {
    const set = sites.setOf(ix);
    let ids = bySet.get(set);
    if (!ids) {
      const own = sites.sitesOf(ix);
      ids = new Array<string>(own.length);
      for (let k = 0; k < own.length; k++) {
        let id = decoded.get(own[k]);
        if (id === undefined) decoded.set(own[k], (id = g.idOf(own[k])));
        ids[k] = id;
      }
      bySet.set(set, ids);
    }
    return ids;
  };
}
