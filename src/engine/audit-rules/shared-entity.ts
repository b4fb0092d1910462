// shared-entity: an entity of several sites that the deletion of one of those sites alone deletes (found by the
// audit's site closures), with the sites that would and the entity's ownership relations.
import type { RelationRef } from '../audit.js';
import { auditRule, finding } from './types.js';

export const sharedEntity = auditRule({
  name: 'shared-entity',
  help: 'entities that belong to several sites and that deleting one of those sites alone would delete',
  order: 20,
  check({ g, sites, own, sharedBy, label, siteList, entity, relation }, out) {
    const { offsets: outOff, types: outTypes } = g.outgoing;
    for (const [x, deleters] of sharedBy) {
      const rels: RelationRef[] = [];
      for (let e = outOff[x]; e < outOff[x + 1]; e++) if (own[outTypes[e]]) rels.push(relation(x, e));
      const msg = `${label(x)} belongs to ${siteList(sites.sitesOf(x))}; deleting ${deleters.length === 1 ? label(deleters[0]) : `any one of ${siteList(deleters)}`} alone deletes it`;
      out.push(finding('shared-entity', [g.idOf(x)], g.idOf(x), msg, [entity(x), ...deleters.map(entity)], rels));
    }
  },
});
