// Reverse reachability over chosen kinds of relation: which entities depend, directly or through others, on the
// roots. The plan's closure without its rules, for counting (audits, benchmarks). Pure, and like the plan it
// stamps a per-graph workspace with a query counter instead of clearing arrays the size of the graph.
import type { OnDelete } from '../model/types.js';
import type { GraphIndex } from '../store/compact.js';

export interface Reach {
  /** Entities reached, the roots included. */
  entities: number;
  /** Relations of the chosen kinds followed: those pointing at a reached entity. */
  relations: number;
}

interface ReachWorkspace {
  query: number;
  stamp: Int32Array;
  queue: Int32Array;
}

const workspaces = new WeakMap<GraphIndex, ReachWorkspace>();

/** Everything that reaches `roots` (IDs; unknown ones are ignored) over relations whose onDelete is in `kinds`. */
export function reverseReach(g: GraphIndex, roots: Iterable<string>, kinds: readonly OnDelete[] = ['cascade']): Reach {
  let ws = workspaces.get(g);
  if (!ws) workspaces.set(g, (ws = { query: 0, stamp: new Int32Array(g.size), queue: new Int32Array(g.size) }));
  if (ws.query === 0x7fffffff) {
    ws.stamp.fill(0);
    ws.query = 0;
  }
  const q = ++ws.query;
  const { stamp, queue } = ws;
  const mask = Uint8Array.from(g.relationSemantics, (s) => (kinds.includes(s) ? 1 : 0));
  const { offsets, nodes, types } = g.incoming;
  let tail = 0;
  for (const id of roots) {
    const ix = g.indexOf(id);
    if (ix < 0 || stamp[ix] === q) continue;
    stamp[ix] = q;
    queue[tail++] = ix;
  }
  let relations = 0;
  for (let head = 0; head < tail; head++) {
    const x = queue[head];
    for (let e = offsets[x], end = offsets[x + 1]; e < end; e++) {
      if (mask[types[e]] === 0) continue;
      relations++;
      const f = nodes[e];
      if (stamp[f] === q) continue;
      stamp[f] = q;
      queue[tail++] = f;
    }
  }
  return { entities: tail, relations };
}
