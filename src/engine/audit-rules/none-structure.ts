// none-structure: a relation type declared none that is at least half of the relations leaving an entity type:
// deletions leave those entities behind, so it may have been meant as cascade or last-owner.
import { auditRule, finding } from './types.js';

export const noneStructure = auditRule({
  name: 'none-structure',
  help: 'relation types declared "none" that carry most of the relations of an entity type',
  order: 60,
  check({ g, relation }, out) {
    const n = g.size;
    const sem = g.relationSemantics;
    const typeCodes = g.typeCodes;
    const typeCount = g.typeNames.length;
    const { offsets: outOff, types: outTypes } = g.outgoing;
    const relTypeCount = g.relationTypeNames.length;
    const outByType = new Float64Array(typeCount);
    const cell = new Float64Array(typeCount * relTypeCount);
    const sample = new Int32Array(typeCount * relTypeCount).fill(-1);
    for (let i = 0; i < n; i++) {
      const tc = typeCodes[i];
      for (let e = outOff[i]; e < outOff[i + 1]; e++) {
        outByType[tc]++;
        const k = tc * relTypeCount + outTypes[e];
        cell[k]++;
        if (sample[k] < 0) sample[k] = e;
      }
    }
    const from = (e: number) => {
      // The entity a relation position leaves (binary search over offsets).
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (outOff[mid] <= e) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (let r = 0; r < relTypeCount; r++) {
      if (sem[r] !== 'none') continue;
      for (let tc = 0; tc < typeCount; tc++) {
        const k = tc * relTypeCount + r;
        if (!cell[k] || cell[k] * 2 < outByType[tc]) continue;
        const pct = Math.round((cell[k] / outByType[tc]) * 100);
        const rt = g.relationTypeNames[r];
        const et = g.typeNames[tc];
        const msg = `${rt} (none) is ${pct}% of the relations leaving ${et} entities (${cell[k]} of ${outByType[tc]}): deleting what they point at leaves them behind; if a ${et} lives inside what ${rt} points at, ${rt} should be cascade or last-owner`;
        out.push(finding('none-structure', [rt, et], `${rt} from ${et}`, msg, [], [relation(from(sample[k]), sample[k])]));
      }
    }
  },
});
