// The order a plan's deletions run in: dependents before what they depend on, a cycle as one group; and the
// reverse, to restore. Pure.
import type { GraphIndex } from '../model/graph.js';
import { nextSearch, type PlanClosure } from './closure.js';
import { stronglyConnected } from './scc.js';
import { NONE } from './toolkit/masks.js';

/**
 * The strongly connected components of the deleted entities over every relation that means something on deletion.
 * Edges run from dependent to dependency, so components come out dependencies first: that is the restore order.
 * `idAt[i]` is the ID of the i-th deleted entity (the plan's deleted list decodes each once).
 */
export function deletionOrder(g: GraphIndex, c: PlanClosure, idAt: readonly string[]): { delete: string[][]; restore: string[][] } {
  const { ws, isDeleted } = c;
  const { semantics, pos } = ws;
  const restore: string[][] = [];
  stronglyConnected(
    g.outgoing,
    ws.scc,
    nextSearch(ws),
    ws.queue.subarray(0, c.count),
    (w, t) => semantics[t] !== NONE && isDeleted(w),
    (members) => restore.push(members.length === 1 ? [idAt[pos[members[0]]]] : members.map((x) => idAt[pos[x]]).sort()),
  );
  return { delete: restore.slice().reverse(), restore };
}
