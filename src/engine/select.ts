// Selectors: pick entities by type and attributes (a manifest's `select:`). Pure; the per-graph type index is
// built once (O(n)) and cached, so a selector scans only the entities of its own type.
import type { Selector, SelectorValue } from '../model/types.js';
import { byCodeUnit } from '../model/compare.js';
import type { GraphIndex } from '../model/graph.js';
import { perGraph } from './toolkit/per-graph.js';

export interface TypeIndex {
  /** Entity-type code → position in `members` where its entities start (CSR over type codes). */
  offsets: Int32Array;
  /** Entity indices grouped by type code, ascending within a type. */
  members: Int32Array;
  codeOf: Map<string, number>;
}

/** type code → entity list, computed once per graph by a counting sort of the type codes. */
export const typeIndex: (g: GraphIndex) => TypeIndex = perGraph((g) => {
  const k = g.typeNames.length;
  const codes = g.typeCodes;
  const offsets = new Int32Array(k + 1);
  for (let i = 0; i < g.size; i++) offsets[codes[i] + 1]++;
  for (let t = 0; t < k; t++) offsets[t + 1] += offsets[t];
  const cursor = offsets.slice(0, k);
  const members = new Int32Array(g.size);
  for (let i = 0; i < g.size; i++) members[cursor[codes[i]]++] = i;
  const codeOf = new Map<string, number>();
  g.typeNames.forEach((t, c) => codeOf.set(t, c));
  return { offsets, members, codeOf };
});

export interface Selection {
  /** Matched entity IDs, sorted (each once, even when several selectors match it). */
  ids: string[];
  /** ID → index of the first selector that matches it. */
  matchedBy: Map<string, number>;
  /** How many entities each selector matches (an entity matched by two selectors counts for both). */
  counts: number[];
}

function isScalar(v: unknown): v is SelectorValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Does an entity's attribute map satisfy `where`? (See `Selector` for the exact rule.) */
export function matchesWhere(attrs: Record<string, unknown> | undefined, where: Selector['where']): boolean {
  if (!where) return true;
  for (const key of Object.keys(where)) {
    if (!attrs || !Object.hasOwn(attrs, key)) return false;
    const actual = attrs[key];
    if (!isScalar(actual)) return false;
    const wanted = where[key];
    if (Array.isArray(wanted)) {
      if (!wanted.some((w) => w === actual)) return false;
    } else if (wanted !== actual) return false;
  }
  return true;
}

/** Evaluates selectors over the graph. */
export function select(g: GraphIndex, selectors: readonly Selector[]): Selection {
  const { offsets, members, codeOf } = typeIndex(g);
  const matchedBy = new Map<string, number>();
  const counts: number[] = [];
  selectors.forEach((sel, s) => {
    let count = 0;
    const code = codeOf.get(sel.type);
    if (code !== undefined) {
      const where = sel.where && Object.keys(sel.where).length ? sel.where : undefined;
      for (let p = offsets[code]; p < offsets[code + 1]; p++) {
        const x = members[p];
        if (where && !matchesWhere(g.attributesOf(x), where)) continue;
        count++;
        const id = g.idOf(x);
        if (!matchedBy.has(id)) matchedBy.set(id, s);
      }
    }
    counts.push(count);
  });
  return { ids: [...matchedBy.keys()].sort(byCodeUnit), matchedBy, counts };
}

/** "app-install where app = legacy-asset-mgmt" — a short description of a selector for messages. */
export function describeSelector(sel: Selector): string {
  const parts = Object.entries(sel.where ?? {}).map(([k, v]) =>
    Array.isArray(v) ? `${k} in [${v.map((x) => JSON.stringify(x)).join(', ')}]` : `${k} = ${JSON.stringify(v)}`,
  );
  return parts.length ? `${sel.type} where ${parts.join(' and ')}` : `every ${sel.type}`;
}
