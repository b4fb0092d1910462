// restricted: a restrict dependent survives while what it depends on is deleted (checked once the closure is
// complete, like PostgreSQL's NO ACTION: a dependent the same plan deletes does not block).
import { blockedBy } from './blockers.js';
import { planRule } from './types.js';

export const restricted = planRule({
  name: 'restricted',
  help: 'deletions that a surviving dependent forbids',
  anchor: 'target',
  order: 90,
  check(ctx, out) {
    blockedBy(ctx, ctx.restricts, 'restricted', true, out);
  },
});
