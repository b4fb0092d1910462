// root-type: a target's type is not in intent.rootTypes.
import { planRule } from './types.js';

export const rootType = planRule({
  name: 'root-type',
  help: 'targets of a type the intent does not allow',
  anchor: 'target',
  order: 30,
  check({ g, intent, deleted, rootCount, label, chain }, out) {
    if (!intent.rootTypes) return;
    const rootTypes = new Set(intent.rootTypes);
    for (let i = 0; i < rootCount; i++) {
      const x = deleted[i];
      if (rootTypes.has(g.typeOf(x))) continue;
      out.push({
        rule: 'root-type',
        message: `${label(x)} is a ${g.typeOf(x)}; the intent allows roots of type ${[...rootTypes].join(', ')}`,
        entity: g.idOf(x),
        ...chain(x),
      });
    }
  },
});
