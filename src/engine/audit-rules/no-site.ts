// no-site: entities that belong to no site (and have no site below them): no site boundary covers their deletion.
// Entities above the boundary (an organization that sites belong to) have no site by design; boundary-deletable
// covers them. A graph without any entity of the boundary type is one finding.
import type { RelationRef } from '../audit.js';
import { auditRule, finding } from './types.js';

export const noSite = auditRule({
  name: 'no-site',
  help: 'entities that belong to no site (and have no site below them): no site boundary covers their deletion',
  order: 50,
  check({ g, sites, types, own, label, entity, relation }, out) {
    const n = g.size;
    const boundary = g.schema.boundary;
    const boundaryCode = sites.boundaryCode;
    if (boundaryCode < 0) {
      out.push(
        finding(
          'no-site',
          [boundary],
          `no ${boundary}`,
          `the graph has no entity of the boundary type "${boundary}": every entity is global, so no deletion can be checked against a site boundary`,
          [],
          [],
        ),
      );
      return;
    }
    if (sites.globalCount === 0) return;
    const typeCodes = g.typeCodes;
    const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
    const above = new Uint8Array(n);
    const queue: number[] = [];
    for (let k = types.offsets[boundaryCode]; k < types.offsets[boundaryCode + 1]; k++) queue.push(types.members[k]);
    for (let h = 0; h < queue.length; h++) {
      const x = queue[h];
      for (let e = outOff[x]; e < outOff[x + 1]; e++) {
        const y = outNodes[e];
        if (!own[outTypes[e]] || above[y] || typeCodes[y] === boundaryCode) continue;
        above[y] = 1;
        queue.push(y);
      }
    }
    for (let x = 0; x < n; x++) {
      if (above[x] || sites.sitesOf(x).length) continue;
      const rels: RelationRef[] = [];
      for (let e = outOff[x]; e < outOff[x + 1] && rels.length < 5; e++) rels.push(relation(x, e));
      const why = outOff[x + 1] === outOff[x] ? 'it depends on nothing' : 'none of its cascade or last-owner relations leads to one';
      out.push(finding('no-site', [g.idOf(x)], g.idOf(x), `${label(x)} [${g.typeOf(x)}] belongs to no ${boundary}: ${why}`, [entity(x)], rels));
    }
  },
});
