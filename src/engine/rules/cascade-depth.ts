// cascade-depth: the database refuses the deletion because its cascades would nest deeper than it carries out
// (schema.maxCascadeDepth; MySQL/MariaDB's InnoDB: a delete or SET NULL at the 15th level of nesting fails, and the
// whole statement with it). InnoDB cascades depth first, so a row reachable by a short and a long path may be
// reached through the long one: the depth judged is the longest cascade path among the deleted entities (a cycle
// counts as long as all its rows), which can fire where the database happens to take the short path — never the
// other way round.
import { planRule, type PlanContext } from './types.js';

/** The longest cascade nesting of each deleted entity (index into ctx.deleted), roots at 0. */
function longestDepths({ g, deleted }: PlanContext): Int32Array {
  const n = deleted.length;
  const local = new Map<number, number>();
  for (let i = 0; i < n; i++) local.set(deleted[i], i);
  const indeg = new Int32Array(n);
  const depth = new Int32Array(n);
  const { offsets, nodes, types } = g.incoming;
  const children = (i: number, visit: (j: number) => void) => {
    const u = deleted[i];
    for (let k = offsets[u]; k < offsets[u + 1]; k++) {
      const sem = g.relationSemantics[types[k]];
      if (sem !== 'cascade' && sem !== 'last-owner') continue;
      const j = local.get(nodes[k]);
      if (j !== undefined && j !== i) visit(j);
    }
  };
  for (let i = 0; i < n; i++) children(i, (j) => indeg[j]++);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  let done = 0;
  let deepest = 0;
  while (done < queue.length) {
    const i = queue[done++];
    deepest = Math.max(deepest, depth[i]);
    children(i, (j) => {
      depth[j] = Math.max(depth[j], depth[i] + 1);
      if (--indeg[j] === 0) queue.push(j);
    });
  }
  if (done < n) {
    // Rows on cascade cycles: no longer than every row of them in a row, after the deepest acyclic path.
    const bound = deepest + (n - done);
    for (let i = 0; i < n; i++) if (indeg[i] > 0) depth[i] = bound;
  }
  return depth;
}

export const cascadeDepth = planRule({
  name: 'cascade-depth',
  help: 'cascades nested deeper than the database carries out',
  anchor: 'target',
  order: 95,
  check(ctx, out) {
    const limit = ctx.g.schema.maxCascadeDepth;
    if (limit === undefined || ctx.deleted.length <= limit) return;
    const { g, deleted, label, chain } = ctx;
    const depth = longestDepths(ctx);
    // A deleted row at depth d is deleted at nesting d; a SET NULL of a row pointing at it happens at nesting d + 1.
    let worst = -1;
    let worstDepth = 0;
    for (let i = 0; i < deleted.length; i++) {
      let d = depth[i];
      const u = deleted[i];
      for (let k = g.incoming.offsets[u]; k < g.incoming.offsets[u + 1]; k++) {
        if (g.relationSemantics[g.incoming.types[k]] === 'detach') {
          d = depth[i] + 1;
          break;
        }
      }
      if (d > worstDepth) {
        worstDepth = d;
        worst = u;
      }
    }
    if (worstDepth <= limit) return;
    out.push({
      rule: 'cascade-depth',
      message: `deleting this nests cascades ${worstDepth} levels deep (through ${label(worst)}); the database carries out at most ${limit} and refuses the whole deletion`,
      entity: g.idOf(worst),
      ...chain(worst),
    });
  },
});
