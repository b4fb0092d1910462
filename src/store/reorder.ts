// A graph renumbered into a given order, its relations sorted and deduplicated: how the database reads fix the
// order of what they read. The engine's output (list order, `via` among equally short chains, order of sites)
// follows the order of the graph it runs on, and a database returns rows in whatever order it scans them.
// PostgreSQL/MySQL: both ways of planning on a database — the whole database read into memory
// (src/store/postgres/read.ts) and the neighbourhood the push-down brings back (src/app/postgres-push-down.ts) — put
// their graph in ONE order: entities by table (the read plan's order), then by primary key as the server orders it
// (`ORDER BY` the key columns, with their own collations); relations by (from, relation type name, to), without
// duplicates. On it, the engine gives the same JSON on both, and the same JSON on every read of an unchanged
// database. Neo4j (src/store/neo4j/read.ts): entities in canonical ID order, relations as above.
import { byCodeUnit } from '../model/compare.js';
import { buildCsr, CompactGraph } from './compact.js';

/** Relations as parallel arrays of entity indices and relation type codes (GraphBuilder.relationList). */
export interface RelationList {
  from: Int32Array;
  to: Int32Array;
  type: Uint16Array;
}

/**
 * `g` renumbered so that entity k is `g`'s entity `order[k]` (every entity once), relations sorted and
 * deduplicated. The ID, name and attribute stores are renumbered in place (no byte is copied): `g` must not be
 * used afterwards. `relations`, when given, are `g`'s relations (g itself built without adjacency: its CSRs are
 * not read), which saves building adjacency only to take it apart here.
 */
export function inOrder(g: CompactGraph, order: Int32Array, relations?: RelationList): CompactGraph {
  const n = g.size;
  if (order.length !== n) throw new Error(`inOrder: ${order.length} positions for ${n} entities`);
  const at = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    if (at[order[k]] !== -1) throw new Error(`inOrder: entity ${order[k]} placed twice`);
    at[order[k]] = k;
  }
  const stores = g.stores();
  const typeCodes = new Uint16Array(n);
  const protectedFlags = new Uint8Array(n);
  // Entity type codes in order of first appearance in the new order.
  const typeNames: string[] = [];
  const codeOf = new Int32Array(g.typeNames.length).fill(-1);
  for (let k = 0; k < n; k++) {
    const o = order[k];
    const old = g.typeCodes[o];
    if (codeOf[old] < 0) {
      codeOf[old] = typeNames.length;
      typeNames.push(g.typeNames[old]);
    }
    typeCodes[k] = codeOf[old];
    protectedFlags[k] = stores.protectedFlags[o];
  }

  // Relations by (from, type name, to): three stable counting sorts, least significant key first.
  const relNames = g.relationTypeNames;
  const rank = new Int32Array(relNames.length);
  relNames
    .map((t, i) => [t, i] as const)
    .sort((a, b) => byCodeUnit(a[0], b[0]))
    .forEach(([, code], r) => (rank[code] = r));
  let from: Int32Array;
  let to: Int32Array;
  let type: Uint16Array;
  let m: number;
  if (relations) {
    m = relations.from.length;
    from = new Int32Array(m);
    to = new Int32Array(m);
    type = relations.type.slice();
    for (let r = 0; r < m; r++) {
      from[r] = at[relations.from[r]];
      to[r] = at[relations.to[r]];
    }
  } else {
    const { offsets, nodes, types } = g.outgoing;
    m = nodes.length;
    from = new Int32Array(m);
    to = new Int32Array(m);
    type = new Uint16Array(m);
    for (let i = 0; i < n; i++) {
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        from[e] = at[i];
        to[e] = at[nodes[e]];
        type[e] = types[e];
      }
    }
  }
  const pass = (key: (r: number) => number, buckets: number) => {
    const count = new Int32Array(buckets + 1);
    for (let r = 0; r < m; r++) count[key(r) + 1]++;
    for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
    const f2 = new Int32Array(m);
    const t2 = new Int32Array(m);
    const y2 = new Uint16Array(m);
    for (let r = 0; r < m; r++) {
      const p = count[key(r)]++;
      f2[p] = from[r];
      t2[p] = to[r];
      y2[p] = type[r];
    }
    from = f2;
    to = t2;
    type = y2;
  };
  if (groupedByFrom(from)) {
    // Rows are read in the new order and add their relations as they come, so the list is nearly always grouped by
    // `from` already: only each row's few relations need sorting, in place.
    sortWithinGroups(from, to, type, rank);
  } else {
    pass((r) => to[r], n);
    pass((r) => rank[type[r]], relNames.length);
    pass((r) => from[r], n);
  }
  let kept = 0;
  for (let r = 0; r < m; r++) {
    if (kept > 0 && from[kept - 1] === from[r] && type[kept - 1] === type[r] && to[kept - 1] === to[r]) continue;
    from[kept] = from[r];
    to[kept] = to[r];
    type[kept] = type[r];
    kept++;
  }
  const f = from.subarray(0, kept);
  const t = to.subarray(0, kept);
  const y = type.subarray(0, kept);
  // Last: the stores are renumbered in place (g's own view of them ends here).
  stores.ids.permute(order, at);
  stores.names.permute(order);
  stores.attributes.permute(order);
  return new CompactGraph(
    g.schema,
    stores.ids,
    typeNames,
    typeCodes,
    stores.names,
    protectedFlags,
    stores.attributes,
    relNames,
    buildCsr(n, t, f, y),
    sortedCsr(n, f, t, y),
  );
}

/** buildCsr(n, key, other, type) for relations already sorted by `key`: only the offsets are counted. */
function sortedCsr(n: number, key: Int32Array, other: Int32Array, type: Uint16Array) {
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < key.length; r++) offsets[key[r] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  return { offsets, nodes: other.slice(), types: type.slice() };
}

function groupedByFrom(from: Int32Array): boolean {
  for (let r = 1; r < from.length; r++) if (from[r] < from[r - 1]) return false;
  return true;
}

/** Sorts each run of one `from` by (rank of type, to): an insertion sort, as a row has few relations. */
function sortWithinGroups(from: Int32Array, to: Int32Array, type: Uint16Array, rank: Int32Array): void {
  const m = from.length;
  for (let s = 0; s < m;) {
    let e = s + 1;
    while (e < m && from[e] === from[s]) e++;
    for (let i = s + 1; i < e; i++) {
      const t = to[i];
      const y = type[i];
      const k = rank[y];
      let j = i - 1;
      while (j >= s && (rank[type[j]] > k || (rank[type[j]] === k && to[j] > t))) {
        to[j + 1] = to[j];
        type[j + 1] = type[j];
        j--;
      }
      to[j + 1] = t;
      type[j + 1] = y;
    }
    s = e;
  }
}
