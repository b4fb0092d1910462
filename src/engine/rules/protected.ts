// protected: a `protected: true` entity would be deleted, or a protect relation points at a deleted entity (the
// blocker is reported even when the plan deletes it too: protect forbids the deletion outright).
import { blockedBy } from './blockers.js';
import { planRule } from './types.js';

export const protectedRule = planRule({
  name: 'protected',
  help: 'protected entities that would be deleted',
  anchor: 'target',
  order: 80,
  check(ctx, out) {
    const { g, deleted, label, chain } = ctx;
    for (let i = 0; i < deleted.length; i++) {
      const x = deleted[i];
      if (!g.isProtected(x)) continue;
      out.push({ rule: 'protected', message: `${label(x)} is protected and would be deleted`, entity: g.idOf(x), ...chain(x) });
    }
    blockedBy(ctx, ctx.protects, 'protected', false, out);
  },
});
