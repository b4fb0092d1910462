// Reverse reachability over chosen kinds of relation: which entities depend, directly or through others, on the
// roots. The plan's closure without its rules, for counting (audits, benchmarks). Pure, and like the plan it
// stamps a per-graph workspace with a query counter instead of clearing arrays the size of the graph.
import type { OnDelete } from '../model/types.js';
import type { Csr, GraphIndex } from '../model/graph.js';
import { relationMask } from './toolkit/masks.js';
import { perGraph } from './toolkit/per-graph.js';
import { nextRound } from './toolkit/stamp.js';

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
  /** Incoming relations of the chosen kinds only, by kinds key: built on first use, then kept with the graph. */
  filtered: Map<string, Csr>;
}

/** The incoming CSR restricted to relation types whose code is set in `mask`. */
function filterCsr(g: GraphIndex, mask: Uint8Array): Csr {
  const { offsets, nodes, types } = g.incoming;
  const n = g.size;
  let m = 0;
  for (let e = 0; e < types.length; e++) m += mask[types[e]];
  const fOffsets = new Int32Array(n + 1);
  const fNodes = new Int32Array(m);
  const fTypes = new Uint16Array(m);
  let k = 0;
  for (let x = 0; x < n; x++) {
    for (let e = offsets[x], end = offsets[x + 1]; e < end; e++) {
      if (mask[types[e]] === 0) continue;
      fNodes[k] = nodes[e];
      fTypes[k++] = types[e];
    }
    fOffsets[x + 1] = k;
  }
  return { offsets: fOffsets, nodes: fNodes, types: fTypes };
}

/**
 * The incoming relations of the chosen kinds, as a CSR of their own. Built once per graph and kinds (one pass over
 * the relations; 4 bytes per entity and 6 per relation kept), so that a traversal scans only what it follows.
 */
export function incomingOf(g: GraphIndex, kinds: readonly OnDelete[]): Csr {
  const ws = workspaceOf(g);
  const mask = relationMask(g, kinds);
  const key = mask.join('');
  let csr = ws.filtered.get(key);
  if (!csr) ws.filtered.set(key, (csr = filterCsr(g, mask)));
  return csr;
}

const workspaceOf = perGraph((g): ReachWorkspace => ({ query: 0, stamp: new Int32Array(g.size), queue: new Int32Array(g.size), filtered: new Map() }));

/** Everything that reaches `roots` (IDs; unknown ones are ignored) over relations whose onDelete is in `kinds`. */
export function reverseReach(g: GraphIndex, roots: Iterable<string>, kinds: readonly OnDelete[] = ['cascade']): Reach {
  const ws = workspaceOf(g);
  const { offsets, nodes } = incomingOf(g, kinds);
  const q = (ws.query = nextRound(ws.stamp, ws.query));
  const { stamp, queue } = ws;
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
    const end = offsets[x + 1];
    relations += end - offsets[x];
    for (let e = offsets[x]; e < end; e++) {
      const f = nodes[e];
      if (stamp[f] === q) continue;
      stamp[f] = q;
      queue[tail++] = f;
    }
  }
  return { entities: tail, relations };
}
