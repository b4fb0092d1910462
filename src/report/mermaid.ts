// Mermaid flowchart of a picture's subgraph (renders in GitHub comments and Markdown). Labels are quoted and every
// character outside a small safe set is written as a Mermaid entity code (#60; for <), so no input is markup.
import { truncateSubgraph, type NodeStatus, type Subgraph } from '../engine/subgraph.js';
import { clean, fmt, clusterBySite } from './common.js';
import type { PictureOptions } from './dot.js';
import { STATUS_COLORS, typeColors } from './palette.js';
import { joinPieces, linePieces, type Pieces } from './pieces.js';

/** Mermaid stays readable (and within GitHub's size limits) up to about this many nodes. */
export const MERMAID_MAX_NODES = 150;

/** Text for inside a double-quoted Mermaid label. */
export function mermaidText(s: string): string {
  // One replace over the code points (not an array of them: a 200 MB name would not fit in one).
  return clean(s).replace(/[^A-Za-z0-9 .,:/@_+=-]/gu, (ch) => `#${ch.codePointAt(0)};`);
}

const DASH: Partial<Record<NodeStatus, string>> = { detached: '5 3', spared: '2 2' };

export function renderMermaid(sg: Subgraph, opts: PictureOptions = {}): string {
  return joinPieces(mermaidPieces(sg, opts));
}

/** The picture as pieces (its lines). */
export function mermaidPieces(sg: Subgraph, opts: PictureOptions = {}): Pieces {
  const { shown, hidden } = truncateSubgraph(sg, opts.maxNodes ?? MERMAID_MAX_NODES);
  const colors = typeColors(shown.nodes.map((n) => n.type));
  const name = new Map(shown.nodes.map((n, i) => [n.id, `n${i}`]));
  const out: string[] = [];
  if (opts.title) out.push('---', `title: "${mermaidText(opts.title)}"`, '---');
  out.push('flowchart LR');
  out.push('  %% arrows point the way a deletion travels, from an entity to what its deletion takes down');
  const line = (n: Subgraph['nodes'][number]) => {
    const label = `${mermaidText(n.id)}${n.name ? `<br/>${mermaidText(n.name)}` : ''}<br/><i>${mermaidText(n.type)}</i>`;
    return n.status === 'site'
      ? `${name.get(n.id)}[/"${label}"\\]`
      : n.status === 'root' || n.status === 'blocked'
        ? `${name.get(n.id)}{{"${label}"}}`
        : `${name.get(n.id)}["${label}"]`;
  };
  const { clusters, loose } = clusterBySite(shown.nodes, line);
  let c = 0;
  for (const [site, lines] of clusters) {
    out.push(`  subgraph c${c++} ["${mermaidText(`${sg.boundary} ${site}`)}"]`);
    for (const l of lines) out.push(`    ${l}`);
    out.push('  end');
  }
  for (const l of loose) out.push(`  ${l}`);
  for (const e of shown.edges) {
    out.push(`  ${name.get(e.to)} ${e.tree ? '-->' : '-.->'}|"${mermaidText(e.type)}"| ${name.get(e.from)}`);
  }
  if (hidden > 0) {
    out.push(
      `  truncated["${mermaidText(`Showing ${fmt(shown.nodes.length)} of ${fmt(sg.nodes.length)} entities: ${fmt(hidden)} more not drawn. Use --format json or --format graphology for all of them.`)}"]`,
    );
    out.push('  style truncated fill:#fef3c7,stroke:#d97706');
  }
  // Styles: fill by type, outline by status.
  shown.nodes.forEach((n, i) => {
    const dash = DASH[n.status] ? `,stroke-dasharray:${DASH[n.status]}` : '';
    const width = n.status === 'root' || n.status === 'blocked' ? 4 : 2;
    out.push(`  style n${i} fill:${colors.get(n.type)},stroke:${STATUS_COLORS[n.status]},stroke-width:${width}px${dash}`);
  });
  return linePieces(out);
}
