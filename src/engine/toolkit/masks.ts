// onDelete as numbers, per relation-type code: what the hot loops switch on instead of comparing strings. The
// tables that every query reads are built once per graph.
import type { OnDelete } from '../../model/types.js';
import type { GraphIndex } from '../../model/graph.js';
import { perGraph } from './per-graph.js';

export const NONE = 0;
export const CASCADE = 1;
export const LAST_OWNER = 2;
export const DETACH = 3;
export const RESTRICT = 4;
export const PROTECT = 5;

const CODES: Record<OnDelete, number> = {
  none: NONE,
  cascade: CASCADE,
  'last-owner': LAST_OWNER,
  detach: DETACH,
  restrict: RESTRICT,
  protect: PROTECT,
};

/** Per relation-type code: its onDelete as one of the codes above (shared: never modify). */
export const semanticCodes = perGraph((g) => Uint8Array.from(g.relationSemantics, (s) => CODES[s]));

/** Per relation-type code: 1 where its onDelete is one of `kinds`, else 0 (a new array). */
export function relationMask(g: GraphIndex, kinds: readonly OnDelete[]): Uint8Array {
  return Uint8Array.from(g.relationSemantics, (s) => (kinds.includes(s) ? 1 : 0));
}

/**
 * Per relation-type code: 1 for cascade and last-owner, the relations that carry membership in a site and that a
 * deletion follows (shared: never modify).
 */
export const ownershipMask = perGraph((g) => relationMask(g, ['cascade', 'last-owner']));

/**
 * Per entity: how many last-owner relations leave it, counted the first time a closure asks (`lastOwnerCount`), so
 * a cold plan counts the few entities it meets instead of every relation of the graph. Shared by every closure.
 */
export interface LastOwnerCounts {
  /** Per entity: its count + 1, or 0 while not counted yet. */
  readonly known: Int32Array;
  readonly isLastOwner: Uint8Array;
  readonly offsets: Int32Array;
  readonly types: Uint16Array;
}

export const lastOwnerCounts = perGraph((g): LastOwnerCounts => ({
  known: new Int32Array(g.size),
  isLastOwner: relationMask(g, ['last-owner']),
  offsets: g.outgoing.offsets,
  types: g.outgoing.types,
}));

/** How many last-owner relations leave entity `x`. */
export function lastOwnerCount(c: LastOwnerCounts, x: number): number {
  const k = c.known[x];
  if (k !== 0) return k - 1;
  const { isLastOwner, offsets, types } = c;
  let count = 0;
  for (let e = offsets[x]; e < offsets[x + 1]; e++) count += isLastOwner[types[e]];
  c.known[x] = count + 1;
  return count;
}
