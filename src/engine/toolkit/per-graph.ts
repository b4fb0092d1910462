// Per-graph caches: tables the engine derives from a graph once and keeps as long as the graph lives. Every one is
// declared through perGraph(), so `grep -rn perGraph src/engine` lists them all; none holds anything but what its
// graph determines. Today: the closure's, root-boundary's and reach's scratch workspaces (closure.ts,
// rules/root-boundary.ts, reach.ts), the site index (sites.ts), the type index (select.ts), the relation masks, codes
// and last-owner counts (toolkit/masks.ts), the decoded boundary IDs (toolkit/labels.ts), the fingerprint
// (fingerprint.ts) and the last approved plans recomputed on it (derive.ts).
import type { GraphIndex } from '../../model/graph.js';

/** `make(g)` computed on the first call for a graph, then the same value for that graph (held weakly). */
export function perGraph<T>(make: (g: GraphIndex) => T): (g: GraphIndex) => T {
  const cache = new WeakMap<GraphIndex, T>();
  return (g) => {
    let value = cache.get(g);
    if (value === undefined) {
      value = make(g);
      cache.set(g, value);
    }
    return value;
  };
}
