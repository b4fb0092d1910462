// The in-memory graph of (part of) a Neo4j graph, built in one canonical order: entities by ID, relations by
// (from, type, to) without duplicates (IDs and type names compared as JavaScript compares strings). The engine's
// output (list order, `via` among equally short chains, order of sites) follows the order of the graph it runs on,
// so this order is what makes the graph read from Neo4j and the push-down plan give byte-identical JSON.
import { byCodeUnit } from '../../model/compare.js';
import type { Schema } from '../../model/types.js';
import { GraphBuilder, type CompactGraph } from '../compact.js';

export interface NodeRecord {
  id: string;
  type: string;
  name?: string;
  protected?: boolean;
  attributes?: Record<string, unknown>;
}

export class CanonicalGraphBuilder {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly typeCode = new Map<string, number>();
  private readonly typeRank: Int32Array;
  private readonly typeNames: string[];
  private readonly relFrom: string[] = [];
  private readonly relTo: string[] = [];
  private readonly relType: number[] = [];

  constructor(readonly schema: Schema) {
    const names = (this.typeNames = Object.keys(schema.relations));
    names.forEach((t, i) => this.typeCode.set(t, i));
    const sorted = names.map((t, i) => [t, i] as const).sort((a, b) => byCodeUnit(a[0], b[0]));
    this.typeRank = new Int32Array(names.length);
    sorted.forEach(([, code], rank) => (this.typeRank[code] = rank));
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Adds a node (the first record of an ID wins). */
  addNode(n: NodeRecord): void {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
  }

  /** Adds a relation; relation types the schema does not declare are left out (returns false). */
  addRelation(from: string, type: string, to: string): boolean {
    const code = this.typeCode.get(type);
    if (code === undefined) return false;
    this.relFrom.push(from);
    this.relTo.push(to);
    this.relType.push(code);
    return true;
  }

  /** Builds the graph; relations whose ends were not added as nodes are dropped. */
  build(): CompactGraph {
    const b = new GraphBuilder(this.schema);
    // Array.prototype.sort without a comparator orders strings by UTF-16 code unit: byCodeUnit's order, natively.
    const ids = [...this.nodes.keys()].sort();
    for (const id of ids) b.addEntity(this.nodes.get(id)!);
    const n = ids.length;
    const idIndex = new Map<string, number>();
    for (let i = 0; i < n; i++) idIndex.set(ids[i], i);
    const t = this.typeNames.length;
    // Each relation as ONE number, (from, type rank, to) from most to least significant, when that fits in a double
    // exactly: a native numeric sort then gives the canonical order, and duplicates end up side by side.
    if (n * n * Math.max(t, 1) < 2 ** 53) return this.buildByKeys(b, ids, idIndex);
    const m = this.relFrom.length;
    const from = new Int32Array(m);
    const to = new Int32Array(m);
    let kept = 0;
    const perm = new Int32Array(m);
    for (let r = 0; r < m; r++) {
      from[r] = idIndex.get(this.relFrom[r]) ?? -1;
      to[r] = idIndex.get(this.relTo[r]) ?? -1;
      if (from[r] >= 0 && to[r] >= 0) perm[kept++] = r;
    }
    const rank = this.typeRank;
    const type = this.relType;
    const order = perm.subarray(0, kept).sort((x, y) => from[x] - from[y] || rank[type[x]] - rank[type[y]] || to[x] - to[y]);
    let prev = -1;
    for (let k = 0; k < order.length; k++) {
      const r = order[k];
      if (prev >= 0 && from[prev] === from[r] && type[prev] === type[r] && to[prev] === to[r]) continue;
      b.addRelation(ids[from[r]], this.typeNames[type[r]], ids[to[r]]);
      prev = r;
    }
    return b.build();
  }

  private buildByKeys(b: GraphBuilder, ids: string[], idIndex: Map<string, number>): CompactGraph {
    const n = ids.length;
    const t = Math.max(this.typeNames.length, 1);
    const rank = this.typeRank;
    const byRank: string[] = [];
    this.typeNames.forEach((name, code) => (byRank[rank[code]] = name));
    const m = this.relFrom.length;
    const keys = new Float64Array(m);
    let kept = 0;
    for (let r = 0; r < m; r++) {
      const from = idIndex.get(this.relFrom[r]);
      const to = idIndex.get(this.relTo[r]);
      if (from !== undefined && to !== undefined) keys[kept++] = (from * t + rank[this.relType[r]]) * n + to;
    }
    const sorted = keys.subarray(0, kept).sort();
    let prev = -1;
    for (let k = 0; k < sorted.length; k++) {
      const key = sorted[k];
      if (key === prev) continue;
      prev = key;
      const to = key % n;
      const rest = (key - to) / n;
      const r = rest % t;
      b.addRelation(ids[(rest - r) / t], byRank[r], ids[to]);
    }
    return b.build();
  }
}
