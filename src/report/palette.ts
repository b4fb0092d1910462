// Colours shared by every picture (DOT, Mermaid, the HTML report): fill by entity type, outline by status.
import type { NodeStatus } from '../engine/subgraph.js';

/** Tableau 10 and six more, chosen to stay apart from each other on white. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#2f4b7c',
  '#bcbd22',
  '#17becf',
  '#a05195',
  '#003f5c',
  '#ffa600',
];

/** One colour per type, in name order, so the same set of types always gets the same colours. */
export function typeColors(types: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(types)].sort();
  return new Map(sorted.map((t, i) => [t, PALETTE[i % PALETTE.length]]));
}

export const STATUS_COLORS: Record<NodeStatus, string> = {
  root: '#111827',
  deleted: '#b91c1c',
  detached: '#d97706',
  spared: '#15803d',
  blocked: '#6d28d9',
  site: '#1d4ed8',
  risk: '#b91c1c',
};
