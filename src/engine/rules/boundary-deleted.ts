// boundary-deleted: a boundary entity (a site) is deleted, and the intent neither lists the boundary type in
// deleteTypes nor allows boundary deletion.
import { planRule } from './types.js';

export const boundaryDeleted = planRule({
  name: 'boundary-deleted',
  help: 'boundary entities (sites) deleted',
  anchor: 'target',
  order: 70,
  check({ g, sites, intent, deleted, label, chain }, out) {
    const boundary = g.schema.boundary;
    if (intent.allowBoundaryDeletion === true || (intent.deleteTypes?.includes(boundary) ?? false)) return;
    for (let i = 0; i < deleted.length; i++) {
      const x = deleted[i];
      if (!sites.isBoundary(x)) continue;
      out.push({ rule: 'boundary-deleted', message: `${boundary} ${label(x)} would be deleted`, entity: g.idOf(x), ...chain(x) });
    }
  },
});
