// delete-type: the deletion reaches an entity whose type is not in intent.deleteTypes. Boundary entities are
// left to boundary-deleted, and roots already reported by root-type are not reported again.
import { planRule } from './types.js';

export const deleteType = planRule({
  name: 'delete-type',
  help: 'deleted entities of a type the intent does not allow',
  anchor: 'target',
  order: 40,
  check({ g, sites, intent, deleted, rootCount, label, chain }, out) {
    if (!intent.deleteTypes) return;
    const deleteTypes = new Set(intent.deleteTypes);
    const rootTypes = intent.rootTypes ? new Set(intent.rootTypes) : undefined;
    for (let i = 0; i < deleted.length; i++) {
      const x = deleted[i];
      const type = g.typeOf(x);
      if (deleteTypes.has(type) || sites.isBoundary(x)) continue;
      if (i < rootCount && rootTypes && !rootTypes.has(type)) continue; // a root-type violation already
      out.push({
        rule: 'delete-type',
        message: `${label(x)} would be deleted, but the intent allows deleting only ${[...deleteTypes].join(', ')}`,
        entity: g.idOf(x),
        ...chain(x),
      });
    }
  },
});
