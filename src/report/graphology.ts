// graphology's serialized JSON of a picture's subgraph (graph.export()), for analysing the blast radius further
// with graphology or any tool that reads it. Relations keep the model's direction: from depends on to.
import type { Subgraph } from '../engine/subgraph.js';
import type { GraphIndex } from '../model/graph.js';
import { toGraphology } from '../store/graphology.js';
import { joinPieces, jsonLinePieces, type Pieces } from './pieces.js';

export function renderGraphology(g: GraphIndex, sg: Subgraph, meta: Record<string, unknown> = {}): string {
  return joinPieces(graphologyPieces(g, sg, meta));
}

/** The same JSON text as pieces. */
export function graphologyPieces(g: GraphIndex, sg: Subgraph, meta: Record<string, unknown> = {}): Pieces {
  const graph = toGraphology(
    g,
    sg.nodes.map((n) => n.ix),
  );
  for (const n of sg.nodes) {
    graph.mergeNodeAttributes(n.id, {
      status: n.status,
      sites: n.sites,
      ...(n.depth !== undefined ? { depth: n.depth } : {}),
      ...(n.via ? { via: n.via } : {}),
      ...(n.rules.length ? { rules: n.rules } : {}),
    } as Record<string, unknown>);
  }
  const tree = new Set(sg.edges.filter((e) => e.tree).map((e) => `${e.from}\u0000${e.type}\u0000${e.to}`));
  graph.forEachEdge((edge, attrs, source, target) => {
    graph.mergeEdgeAttributes(edge, {
      onDelete: g.schema.relations[attrs.type]?.onDelete,
      tree: tree.has(`${source}\u0000${attrs.type}\u0000${target}`),
    } as unknown as { type: string });
  });
  graph.replaceAttributes({ kind: sg.kind, boundary: sg.boundary, ...meta } as never);
  return jsonLinePieces(graph.export(), 1);
}
