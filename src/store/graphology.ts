// The graphology view of a graph: the model the library hands out and that exports and pictures are drawn from.
import { MultiDirectedGraph } from 'graphology';
import type { GraphIndex } from './compact.js';

export interface EntityAttributes {
  type: string;
  name?: string;
  protected?: boolean;
  attributes?: Record<string, unknown>;
}

/** A MultiDirectedGraph with one node per entity and one edge per relation (from → to, attribute `type`). */
export function toGraphology(g: GraphIndex, only?: Iterable<number>): MultiDirectedGraph<EntityAttributes, { type: string }> {
  const graph = new MultiDirectedGraph<EntityAttributes, { type: string }>({ allowSelfLoops: true });
  const keep = only ? new Set(only) : undefined;
  const nodes = keep ?? {
    [Symbol.iterator]: function* () {
      for (let i = 0; i < g.size; i++) yield i;
    },
  };
  for (const i of nodes) {
    const attrs: EntityAttributes = { type: g.typeOf(i) };
    const name = g.nameOf(i);
    if (name !== undefined) attrs.name = name;
    if (g.isProtected(i)) attrs.protected = true;
    const a = g.attributesOf(i);
    if (a) attrs.attributes = a;
    graph.addNode(g.idOf(i), attrs);
  }
  const { offsets, nodes: targets, types } = g.outgoing;
  for (const i of keep ?? nodes) {
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const t = targets[e];
      if (keep && !keep.has(t)) continue;
      // Keyed by content, so exports are the same in every process and on every backend (graphology numbers unkeyed
      // edges from a random start). A relation listed twice gets a counter.
      const type = g.relationTypeNames[types[e]];
      const base = `${g.idOf(i)}|${type}|${g.idOf(t)}`;
      let key = base;
      for (let k = 2; graph.hasEdge(key); k++) key = `${base}#${k}`;
      graph.addDirectedEdgeWithKey(key, g.idOf(i), g.idOf(t), { type });
    }
  }
  return graph;
}
