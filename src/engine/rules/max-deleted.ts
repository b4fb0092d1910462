// max-deleted: the deletion takes down more entities than limits.maxDeleted.
import { planRule } from './types.js';

export const maxDeleted = planRule({
  name: 'max-deleted',
  help: 'more deletions than the limit',
  anchor: () => ['limits', 'maxDeleted'],
  order: 120,
  check({ limits, deleted }, out) {
    if (limits.maxDeleted === undefined || deleted.length <= limits.maxDeleted) return;
    out.push({ rule: 'max-deleted', message: `${deleted.length} entities would be deleted; the limit is ${limits.maxDeleted}`, entity: null, chain: [] });
  },
});
