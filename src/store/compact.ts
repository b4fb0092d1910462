// The compact graph store: IDs interned to dense integers, codes in typed arrays, CSR adjacency both ways.
import type { Entity, OnDelete, Relation, Schema, Snapshot } from '../model/types.js';

/** Adjacency in compressed-sparse-row form: the relations of entity i are positions offsets[i] .. offsets[i+1]-1. */
export interface Csr {
  readonly offsets: Int32Array;
  /** The entity at the other end of each relation. */
  readonly nodes: Int32Array;
  /** The relation-type code of each relation. */
  readonly types: Uint16Array;
}

/**
 * What the engine needs from a graph: look an entity up, read its attributes, and walk the relations that point
 * at it (or leave it) with their relation-type codes. Any backend that can produce this runs the in-memory engine.
 */
export interface GraphIndex {
  readonly schema: Schema;
  readonly size: number;
  readonly relationCount: number;
  /** Entity-type code → type name. */
  readonly typeNames: readonly string[];
  /** Relation-type code → relation-type name. */
  readonly relationTypeNames: readonly string[];
  /** Relation-type code → onDelete semantics. */
  readonly relationSemantics: readonly OnDelete[];
  readonly typeCodes: Uint16Array;
  /** Relations pointing at each entity (`nodes` are the `from` ends). */
  readonly incoming: Csr;
  /** Relations leaving each entity (`nodes` are the `to` ends). */
  readonly outgoing: Csr;
  indexOf(id: string): number;
  idOf(ix: number): string;
  typeOf(ix: number): string;
  nameOf(ix: number): string | undefined;
  isProtected(ix: number): boolean;
  attributesOf(ix: number): Record<string, unknown> | undefined;
}

export class CompactGraph implements GraphIndex {
  readonly relationSemantics: readonly OnDelete[];
  constructor(
    readonly schema: Schema,
    private readonly ids: string[],
    private readonly idIndex: Map<string, number>,
    readonly typeNames: readonly string[],
    readonly typeCodes: Uint16Array,
    private readonly names: (string | undefined)[],
    private readonly protectedFlags: Uint8Array,
    private readonly attributes: Map<number, Record<string, unknown>>,
    readonly relationTypeNames: readonly string[],
    readonly incoming: Csr,
    readonly outgoing: Csr,
  ) {
    this.relationSemantics = relationTypeNames.map((t) => schema.relations[t].onDelete);
  }
  get size(): number {
    return this.ids.length;
  }
  get relationCount(): number {
    return this.incoming.nodes.length;
  }
  indexOf(id: string): number {
    return this.idIndex.get(id) ?? -1;
  }
  idOf(ix: number): string {
    return this.ids[ix];
  }
  typeOf(ix: number): string {
    return this.typeNames[this.typeCodes[ix]];
  }
  nameOf(ix: number): string | undefined {
    return this.names[ix];
  }
  isProtected(ix: number): boolean {
    return this.protectedFlags[ix] === 1;
  }
  attributesOf(ix: number): Record<string, unknown> | undefined {
    return this.attributes.get(ix);
  }
  entity(ix: number): Entity {
    const e: Entity = { id: this.ids[ix], type: this.typeOf(ix) };
    const name = this.names[ix];
    if (name !== undefined) e.name = name;
    if (this.protectedFlags[ix]) e.protected = true;
    const attrs = this.attributes.get(ix);
    if (attrs) e.attributes = attrs;
    return e;
  }
  *entities(): IterableIterator<Entity> {
    for (let i = 0; i < this.ids.length; i++) yield this.entity(i);
  }
  *relations(): IterableIterator<Relation> {
    const { offsets, nodes, types } = this.outgoing;
    for (let i = 0; i < this.ids.length; i++) {
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        yield { from: this.ids[i], type: this.relationTypeNames[types[e]], to: this.ids[nodes[e]] };
      }
    }
  }
  toSnapshot(): Snapshot {
    return { schema: this.schema, entities: [...this.entities()], relations: [...this.relations()] };
  }
}

/** A relation whose `from` or `to` names no entity. */
export interface DanglingRelation {
  ordinal: number;
  tag: number;
  from: string;
  type: string;
  to: string;
  missing: 'from' | 'to' | 'both';
}

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

class GrowableFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  set(i: number, v: number): void {
    while (i >= this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }
}

const UNDEFINED_TYPE = -1;

/**
 * Builds a CompactGraph from a stream of entities and relations in any order. IDs are interned as they are seen,
 * so a relation may name an entity that arrives later; `build()` reports what never arrived.
 */
export class GraphBuilder {
  private readonly ids: string[] = [];
  private readonly idIndex = new Map<string, number>();
  private readonly typeOf = new GrowableInt32();
  private readonly names: (string | undefined)[] = [];
  private protectedFlags = new Uint8Array(1024);
  private readonly attributes = new Map<number, Record<string, unknown>>();
  private readonly typeNames: string[] = [];
  private readonly typeCodes = new Map<string, number>();
  private readonly relationTypeNames: string[];
  private readonly relationTypeCodes = new Map<string, number>();
  private readonly relFrom = new GrowableInt32();
  private readonly relTo = new GrowableInt32();
  private readonly relType = new GrowableInt32();
  private tags: GrowableFloat64 | undefined;
  private definedCount = 0;

  constructor(readonly schema: Schema) {
    this.relationTypeNames = Object.keys(schema.relations);
    this.relationTypeNames.forEach((t, i) => this.relationTypeCodes.set(t, i));
    if (this.relationTypeNames.length > 0xffff) throw new RangeError('at most 65535 relation types');
  }

  get entityCount(): number {
    return this.definedCount;
  }
  get relationCount(): number {
    return this.relFrom.length;
  }

  /** True when the schema lists entity types and `type` is not among them. */
  unknownType(type: string): boolean {
    return this.schema.types !== undefined && !Object.hasOwn(this.schema.types, type);
  }

  knowsRelationType(type: string): boolean {
    return this.relationTypeCodes.has(type);
  }

  // The last ID interned: an entity's own ID is usually named again at once by the relations of its record.
  private lastId: string | undefined;
  private lastIx = -1;

  private intern(id: string): number {
    if (id === this.lastId) return this.lastIx;
    let ix = this.idIndex.get(id);
    if (ix === undefined) {
      ix = this.ids.length;
      this.ids.push(id);
      this.idIndex.set(id, ix);
      this.typeOf.push(UNDEFINED_TYPE);
      this.names.push(undefined);
    }
    this.lastId = id;
    this.lastIx = ix;
    return ix;
  }

  /** Index of an already defined entity, or -1. */
  definedIndex(id: string): number {
    const ix = this.idIndex.get(id);
    return ix !== undefined && this.typeOf.data[ix] !== UNDEFINED_TYPE ? ix : -1;
  }

  /** Adds an entity; returns its index, or -1 when the ID was already defined (the first definition stays). */
  addEntity(e: Entity): number {
    const ix = this.intern(e.id);
    if (this.typeOf.data[ix] !== UNDEFINED_TYPE) return -1;
    let code = this.typeCodes.get(e.type);
    if (code === undefined) {
      code = this.typeNames.length;
      if (code > 0xffff) throw new RangeError('at most 65536 entity types');
      this.typeNames.push(e.type);
      this.typeCodes.set(e.type, code);
    }
    this.typeOf.data[ix] = code;
    if (e.name !== undefined) this.names[ix] = e.name;
    if (e.protected) {
      if (ix >= this.protectedFlags.length) {
        const next = new Uint8Array(Math.max(ix + 1, this.protectedFlags.length * 2));
        next.set(this.protectedFlags);
        this.protectedFlags = next;
      }
      this.protectedFlags[ix] = 1;
    }
    if (e.attributes !== undefined && Object.keys(e.attributes).length) this.attributes.set(ix, e.attributes);
    this.definedCount++;
    return ix;
  }

  /** Adds a relation; returns false (and adds nothing) when the schema does not know its type. `tag` is returned with dangling reports. */
  addRelation(from: string, type: string, to: string, tag?: number): boolean {
    const code = this.relationTypeCodes.get(type);
    if (code === undefined) return false;
    if (tag !== undefined) (this.tags ??= new GrowableFloat64()).set(this.relFrom.length, tag);
    this.relFrom.push(this.intern(from));
    this.relTo.push(this.intern(to));
    this.relType.push(code);
    return true;
  }

  /** Relations that name an entity never defined (at most `limit` listed; `count` is the total). */
  dangling(limit = Infinity): { count: number; items: DanglingRelation[] } {
    const defined = this.typeOf.data;
    const from = this.relFrom.data;
    const to = this.relTo.data;
    const items: DanglingRelation[] = [];
    let count = 0;
    if (this.definedCount === this.ids.length) return { count, items };
    for (let r = 0; r < this.relFrom.length; r++) {
      const fm = defined[from[r]] === UNDEFINED_TYPE;
      const tm = defined[to[r]] === UNDEFINED_TYPE;
      if (!fm && !tm) continue;
      count++;
      if (items.length < limit) {
        items.push({
          ordinal: r,
          tag: this.tags?.data[r] ?? 0,
          from: this.ids[from[r]],
          type: this.relationTypeNames[this.relType.data[r]],
          to: this.ids[to[r]],
          missing: fm && tm ? 'both' : fm ? 'from' : 'to',
        });
      }
    }
    return { count, items };
  }

  /** Calls `fn` with the tag of every relation that names an entity never defined (no list is built). */
  forEachDangling(fn: (tag: number) => void): void {
    if (this.definedCount === this.ids.length) return;
    const defined = this.typeOf.data;
    const from = this.relFrom.data;
    const to = this.relTo.data;
    for (let r = 0; r < this.relFrom.length; r++) {
      if (defined[from[r]] === UNDEFINED_TYPE || defined[to[r]] === UNDEFINED_TYPE) fn(this.tags?.data[r] ?? 0);
    }
  }

  /** Builds the graph, dropping relations that name undefined entities (call `dangling()` first to report them). */
  build(): CompactGraph {
    const n0 = this.ids.length;
    const defined = this.typeOf.data;
    let ids = this.ids;
    let idIndex = this.idIndex;
    let names = this.names;
    let remap: Int32Array | undefined;
    if (this.definedCount !== n0) {
      // Renumber so that only defined entities remain (IDs seen only in dangling relations disappear).
      remap = new Int32Array(n0);
      ids = [];
      names = [];
      idIndex = new Map();
      for (let i = 0; i < n0; i++) {
        if (defined[i] === UNDEFINED_TYPE) {
          remap[i] = -1;
          continue;
        }
        remap[i] = ids.length;
        idIndex.set(this.ids[i], ids.length);
        ids.push(this.ids[i]);
        names.push(this.names[i]);
      }
    }
    const n = ids.length;
    const typeCodes = new Uint16Array(n);
    const protectedFlags = new Uint8Array(n);
    const attributes = remap ? new Map<number, Record<string, unknown>>() : this.attributes;
    for (let i = 0; i < n0; i++) {
      const j = remap ? remap[i] : i;
      if (j < 0) continue;
      typeCodes[j] = defined[i];
      if (i < this.protectedFlags.length) protectedFlags[j] = this.protectedFlags[i];
      if (remap) {
        const a = this.attributes.get(i);
        if (a) attributes.set(j, a);
      }
    }
    // Keep only relations whose ends both exist.
    const m0 = this.relFrom.length;
    let from = this.relFrom.view();
    let to = this.relTo.view();
    let type = this.relType.view();
    if (remap) {
      const f2 = new Int32Array(m0);
      const t2 = new Int32Array(m0);
      const y2 = new Int32Array(m0);
      let m = 0;
      for (let r = 0; r < m0; r++) {
        const a = remap[from[r]];
        const b = remap[to[r]];
        if (a < 0 || b < 0) continue;
        f2[m] = a;
        t2[m] = b;
        y2[m] = type[r];
        m++;
      }
      from = f2.subarray(0, m);
      to = t2.subarray(0, m);
      type = y2.subarray(0, m);
    }
    const incoming = buildCsr(n, to, from, type);
    const outgoing = buildCsr(n, from, to, type);
    return new CompactGraph(
      this.schema,
      ids,
      idIndex,
      this.typeNames.slice(),
      typeCodes,
      names,
      protectedFlags,
      attributes,
      this.relationTypeNames,
      incoming,
      outgoing,
    );
  }
}

/** Counting sort of relations by `key` into CSR form; stable, so input order is kept within each entity. */
export function buildCsr(n: number, key: Int32Array, other: Int32Array, type: Int32Array): Csr {
  const m = key.length;
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < m; r++) offsets[key[r] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const cursor = offsets.slice(0, n);
  const nodes = new Int32Array(m);
  const types = new Uint16Array(m);
  for (let r = 0; r < m; r++) {
    const p = cursor[key[r]]++;
    nodes[p] = other[r];
    types[p] = type[r];
  }
  return { offsets, nodes, types };
}
