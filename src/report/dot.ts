// Graphviz DOT of a picture's subgraph: entities coloured by type, outlined by status, clustered by site.
// Every string from the input is a quoted, escaped DOT string; node names are generated (n0, n1, …).
import { NODE_STATUS_HELP, truncateSubgraph, type NodeStatus, type Subgraph } from '../engine/subgraph.js';
import { clean, fmt, clusterBySite } from './common.js';
import { STATUS_COLORS, typeColors } from './palette.js';
import { joinPieces, linePieces, type Pieces } from './pieces.js';

export const DOT_MAX_NODES = 500;

/**
 * A DOT double-quoted string of one or more lines: backslashes and quotes escaped (so `\N`, `\G` and `\l` in a
 * name stay text), control characters shown, never interpreted; lines joined with DOT's `\n`.
 */
export function dotString(...lines: string[]): string {
  return `"${lines.map((s) => clean(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\n')}"`;
}

const STYLE: Record<NodeStatus, string> = {
  root: 'filled,bold',
  deleted: 'filled',
  detached: 'filled,dashed',
  spared: 'filled,dotted',
  blocked: 'filled,bold',
  site: 'filled,bold',
  risk: 'filled',
};
const SHAPE: Record<NodeStatus, string> = {
  root: 'doubleoctagon',
  deleted: 'box',
  detached: 'box',
  spared: 'box',
  blocked: 'octagon',
  site: 'house',
  risk: 'box',
};

export interface PictureOptions {
  title?: string;
  maxNodes?: number;
}

export function renderDot(sg: Subgraph, opts: PictureOptions = {}): string {
  return joinPieces(dotPieces(sg, opts));
}

/** The picture as pieces (its lines). */
export function dotPieces(sg: Subgraph, opts: PictureOptions = {}): Pieces {
  const { shown, hidden } = truncateSubgraph(sg, opts.maxNodes ?? DOT_MAX_NODES);
  const colors = typeColors(shown.nodes.map((n) => n.type));
  const name = new Map(shown.nodes.map((n, i) => [n.id, `n${i}`]));
  const out: string[] = [];
  out.push('// blastguard: arrows point the way a deletion travels, from an entity to what its deletion takes down.');
  out.push('digraph blastguard {');
  out.push('  graph [rankdir=LR, fontname="Helvetica", fontsize=11, compound=true' + (opts.title ? `, label=${dotString(opts.title)}, labelloc=t` : '') + '];');
  out.push('  node [fontname="Helvetica", fontsize=10, penwidth=1.5];');
  out.push('  edge [fontname="Helvetica", fontsize=8, color="#6b7280"];');
  const line = (n: Subgraph['nodes'][number]) => {
    const label = [n.id, ...(n.name ? [n.name] : []), `[${n.type}]`, ...(n.rules.length ? [n.rules.join(', ')] : [])];
    return `${name.get(n.id)} [label=${dotString(...label)}, tooltip=${dotString(`${n.id}: ${NODE_STATUS_HELP[n.status]}`)}, shape=${SHAPE[n.status]}, style="${STYLE[n.status]}", fillcolor="${colors.get(n.type)}", color="${STATUS_COLORS[n.status]}"${n.status === 'root' || n.status === 'blocked' ? ', penwidth=3' : ''}];`;
  };
  const { clusters, loose } = clusterBySite(shown.nodes, line);
  let c = 0;
  for (const [site, lines] of clusters) {
    out.push(`  subgraph cluster_${c++} {`);
    out.push(`    label=${dotString(`${sg.boundary} ${site}`)}; style="rounded,dashed"; color="#9ca3af";`);
    for (const l of lines) out.push(`    ${l}`);
    out.push('  }');
  }
  for (const l of loose) out.push(`  ${l}`);
  for (const e of shown.edges) {
    const style = e.tree ? 'solid' : 'dashed';
    out.push(
      `  ${name.get(e.to)} -> ${name.get(e.from)} [label=${dotString(`${e.type} (${e.onDelete})`)}, style=${style}${e.tree ? ', color="#111827", penwidth=1.5' : ''}];`,
    );
  }
  if (hidden > 0) {
    out.push(
      `  truncated [shape=note, style=filled, fillcolor="#fef3c7", label=${dotString(`Showing ${fmt(shown.nodes.length)} of ${fmt(sg.nodes.length)} entities: ${fmt(hidden)} more not drawn.`, 'Use --format json or --format graphology for all of them.')}];`,
    );
  }
  out.push('}');
  return linePieces(out);
}
