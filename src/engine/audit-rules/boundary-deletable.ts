// boundary-deletable: a site that depends on another entity through cascade or last-owner, so that deleting that
// entity deletes the site (an organization deleting its sites).
import { auditRule, finding } from './types.js';

export const boundaryDeletable = auditRule({
  name: 'boundary-deletable',
  help: 'boundary entities (sites) that the deletion of another entity would delete',
  order: 30,
  check({ g, sites, types, own, label, entity, relation }, out) {
    const boundaryCode = sites.boundaryCode;
    if (boundaryCode < 0) return;
    const sem = g.relationSemantics;
    const boundary = g.schema.boundary;
    const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
    for (let k = types.offsets[boundaryCode]; k < types.offsets[boundaryCode + 1]; k++) {
      const s = types.members[k];
      for (let e = outOff[s]; e < outOff[s + 1]; e++) {
        const t = outTypes[e];
        if (!own[t]) continue;
        const x = outNodes[e];
        const how = sem[t] === 'cascade' ? '' : ' (once its other owners are deleted too)';
        const msg = `deleting ${label(x)} [${g.typeOf(x)}] deletes ${boundary} ${label(s)}${how}: ${g.relationTypeNames[t]} is ${sem[t]}`;
        const r = relation(s, e);
        out.push(finding('boundary-deletable', [r.from, r.type, r.to], `${r.from} ${r.type} ${r.to}`, msg, [entity(s), entity(x)], [r]));
      }
    }
  },
});
