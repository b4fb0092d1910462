// permanent-scope: a `mode: permanent` deletion reaches a boundary entity (a site) or an entity of a type the
// schema marks critical; such deletions must be soft (restorable).
import { manifestRule } from './types.js';

export const permanentScope = manifestRule({
  name: 'permanent-scope',
  help: 'a permanent deletion that reaches a site or an entity of a critical type',
  anchor: 'target',
  order: 100,
  check({ g, manifest, result, chain }, out) {
    if (manifest.mode !== 'permanent') return;
    const types = g.schema.types;
    const boundary = g.schema.boundary;
    for (const d of result.deleted) {
      const critical = types !== undefined && Object.hasOwn(types, d.type) && types[d.type].critical === true;
      if (d.type !== boundary && !critical) continue;
      const what = d.type === boundary ? `the ${boundary}` : `an entity of the critical type ${d.type}`;
      out.push({
        rule: 'permanent-scope',
        message: `this permanent deletion reaches ${what} ${d.name ? `${d.id} (${d.name})` : d.id}; delete it softly instead`,
        entity: d.id,
        ...chain(d.id),
      });
    }
  },
});
