// cascade-cycle: strongly connected components over cascade relations (or a cascade relation to itself):
// deleting any member deletes them all.
import { byCodeUnit } from '../../model/compare.js';
import type { RelationRef } from '../audit.js';
import { sccScratch, stronglyConnected } from '../scc.js';
import { relationMask } from '../toolkit/masks.js';
import { auditRule, finding } from './types.js';

export const cascadeCycle = auditRule({
  name: 'cascade-cycle',
  help: 'cycles of cascade relations: deleting any member deletes them all',
  order: 40,
  check({ g, label, entity, relation }, out) {
    const n = g.size;
    const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;
    const cascade = relationMask(g, ['cascade']);
    const starts: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let e = outOff[i]; e < outOff[i + 1]; e++) {
        if (cascade[outTypes[e]]) {
          starts.push(i);
          break;
        }
      }
    }
    const cycles: number[][] = [];
    stronglyConnected(
      g.outgoing,
      sccScratch(n),
      1,
      starts,
      (_w, t) => cascade[t] === 1,
      (members) => {
        if (members.length > 1) cycles.push(members);
        else {
          const v = members[0];
          for (let e = outOff[v]; e < outOff[v + 1]; e++) {
            if (cascade[outTypes[e]] && outNodes[e] === v) {
              cycles.push(members);
              break;
            }
          }
        }
      },
    );
    for (const members of cycles) {
      members.sort((a, b) => byCodeUnit(g.idOf(a), g.idOf(b)));
      const inCycle = new Set(members);
      const rels: RelationRef[] = [];
      for (const v of members) {
        for (let e = outOff[v]; e < outOff[v + 1]; e++) if (cascade[outTypes[e]] && inCycle.has(outNodes[e])) rels.push(relation(v, e));
      }
      const ids = members.map((v) => g.idOf(v));
      const shown = members.slice(0, 5).map(label).join(', ') + (members.length > 5 ? `, … (${members.length} in all)` : '');
      const msg = `${members.length === 1 ? `${shown} cascades to itself` : `${members.length} entities delete each other through cascade relations: ${shown}`}; deleting any of them deletes them all`;
      out.push(finding('cascade-cycle', ids, `${ids[0]}${ids.length > 1 ? ` +${ids.length - 1}` : ''}`, msg, members.map(entity), rels));
    }
  },
});
