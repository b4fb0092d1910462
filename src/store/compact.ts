// The compact graph store: IDs interned to dense integers, codes in typed arrays, CSR adjacency both ways.
import type { Csr, GraphIndex } from '../model/graph.js';
import type { Entity, OnDelete, Relation, Schema, Snapshot } from '../model/types.js';
import { IdTable, TextColumn } from './ids.js';

/** Optional strings by entity index: a TextColumn, or one that reads its section of a binary graph file when first asked. */
export interface TextSource {
  get(ix: number): string | undefined;
  readonly bytes: number;
  column(): TextColumn;
}

/** Everything a CompactGraph holds, for the binary graph file (store/binary/). */
export interface CompactParts {
  schema: Schema;
  ids: IdTable;
  typeNames: readonly string[];
  typeCodes: Uint16Array;
  names: TextSource;
  protectedFlags: Uint8Array;
  attributes: TextSource;
  relationTypeNames: readonly string[];
  incoming: Csr;
  outgoing: Csr;
}

export type { Csr, GraphIndex } from '../model/graph.js';

export class CompactGraph implements GraphIndex {
  readonly relationSemantics: readonly OnDelete[];
  constructor(
    readonly schema: Schema,
    private readonly ids: IdTable,
    readonly typeNames: readonly string[],
    readonly typeCodes: Uint16Array,
    private readonly names: TextSource,
    private readonly protectedFlags: Uint8Array,
    private readonly attributes: TextSource,
    readonly relationTypeNames: readonly string[],
    readonly incoming: Csr,
    readonly outgoing: Csr,
  ) {
    this.relationSemantics = relationTypeNames.map((t) => schema.relations[t].onDelete);
  }
  static fromParts(p: CompactParts): CompactGraph {
    return new CompactGraph(p.schema, p.ids, p.typeNames, p.typeCodes, p.names, p.protectedFlags, p.attributes, p.relationTypeNames, p.incoming, p.outgoing);
  }
  parts(): CompactParts {
    const { schema, ids, typeNames, typeCodes, names, protectedFlags, attributes, relationTypeNames, incoming, outgoing } = this;
    return { schema, ids, typeNames, typeCodes, names, protectedFlags, attributes, relationTypeNames, incoming, outgoing };
  }
  get size(): number {
    return this.typeCodes.length;
  }
  get relationCount(): number {
    return this.incoming.nodes.length;
  }
  indexOf(id: string): number {
    return this.ids.indexOf(id);
  }
  idOf(ix: number): string {
    return this.ids.get(ix);
  }
  typeOf(ix: number): string {
    return this.typeNames[this.typeCodes[ix]];
  }
  nameOf(ix: number): string | undefined {
    return this.names.get(ix);
  }
  isProtected(ix: number): boolean {
    return this.protectedFlags[ix] === 1;
  }
  /**
   * The stores behind IDs, names and attributes, for a graph rebuilt in another order (src/store/reorder.ts);
   * that rebuild renumbers them in place, so this graph must not be used after it.
   */
  stores(): { ids: IdTable; names: TextColumn; attributes: TextColumn; protectedFlags: Uint8Array } {
    return { ids: this.ids, names: this.names.column(), attributes: this.attributes.column(), protectedFlags: this.protectedFlags };
  }
  /** A fresh copy each call: attributes are kept as JSON text. */
  attributesOf(ix: number): Record<string, unknown> | undefined {
    const text = this.attributes.get(ix);
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }
  /** Bytes held by IDs, names and attributes (the typed arrays are counted by their byteLength). */
  get textBytes(): number {
    return this.ids.bytes + this.names.bytes + this.attributes.bytes;
  }
  entity(ix: number): Entity {
    const e: Entity = { id: this.idOf(ix), type: this.typeOf(ix) };
    const name = this.nameOf(ix);
    if (name !== undefined) e.name = name;
    if (this.protectedFlags[ix]) e.protected = true;
    const attrs = this.attributesOf(ix);
    if (attrs) e.attributes = attrs;
    return e;
  }
  *entities(): IterableIterator<Entity> {
    for (let i = 0; i < this.size; i++) yield this.entity(i);
  }
  *relations(): IterableIterator<Relation> {
    const { offsets, nodes, types } = this.outgoing;
    for (let i = 0; i < this.size; i++) {
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        yield { from: this.idOf(i), type: this.relationTypeNames[types[e]], to: this.idOf(nodes[e]) };
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

// Typed arrays that grow by half again when full (doubling would leave up to half of 30 M slots idle). One class
// per element type, so that every access site sees a single array shape.
class GrowableInt32 {
  length = 0;
  data = new Int32Array(1024);
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  grow(n: number): void {
    const next = new Int32Array(Math.max(n, Math.ceil(this.data.length * 1.5)));
    next.set(this.data);
    this.data = next;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

class GrowableUint16 {
  length = 0;
  data = new Uint16Array(1024);
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  grow(n: number): void {
    const next = new Uint16Array(Math.max(n, Math.ceil(this.data.length * 1.5)));
    next.set(this.data);
    this.data = next;
  }
  view(): Uint16Array {
    return this.data.subarray(0, this.length);
  }
}

class GrowableFloat64 {
  length = 0;
  data = new Float64Array(1024);
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const next = new Float64Array(Math.max(i + 1, Math.ceil(this.data.length * 1.5)));
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }
}

const UNDEFINED_TYPE = -1;

/** Codes of a small set of names (entity types, relation types), looked up by string or by UTF-8 bytes. */
class Codes {
  readonly names: string[] = [];
  private readonly byName = new Map<string, number>();
  private readonly bytes: Uint8Array[] = [];
  private last = 0;
  code(name: string): number {
    return this.byName.get(name) ?? -1;
  }
  codeOfBytes(buf: Uint8Array, s: number, e: number): number {
    // Few names, and runs of the same one: try the last hit first, then compare lengths before bytes.
    const len = e - s;
    const n = this.bytes.length;
    for (let k = 0; k < n; k++) {
      const code = (this.last + k) % n;
      const b = this.bytes[code];
      if (b.length !== len) continue;
      let i = 0;
      while (i < len && b[i] === buf[s + i]) i++;
      if (i === len) return (this.last = code);
    }
    return -1;
  }
  add(name: string): number {
    let code = this.byName.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(name);
      this.byName.set(name, code);
      this.bytes.push(Buffer.from(name, 'utf8'));
    }
    return code;
  }
}

/**
 * Builds a CompactGraph from a stream of entities and relations in any order. IDs are interned as they are seen,
 * so a relation may name an entity that arrives later; `build()` reports what never arrived.
 *
 * Two ways in: objects (`addEntity`, `addRelation`) and, for fast readers, UTF-8 byte ranges of a buffer
 * (`addEntityBytes`, `addRelationBytes`), which intern IDs without making a string per record.
 */
export class GraphBuilder {
  private readonly ids = new IdTable();
  private readonly typeOf = new GrowableInt32();
  private readonly names = new TextColumn();
  private readonly attributes = new TextColumn();
  private protectedFlags = new Uint8Array(1024);
  private readonly types = new Codes();
  private readonly relationTypes = new Codes();
  private readonly relationTypeNames: string[];
  private readonly relFrom = new GrowableInt32();
  private readonly relTo = new GrowableInt32();
  private readonly relType = new GrowableUint16();
  private tags: GrowableFloat64 | undefined;
  private definedCount = 0;

  constructor(readonly schema: Schema) {
    this.relationTypeNames = Object.keys(schema.relations);
    if (this.relationTypeNames.length > 0xffff) throw new RangeError('at most 65535 relation types');
    for (const t of this.relationTypeNames) this.relationTypes.add(t);
    this.lastTo = new Int32Array(this.relationTypeNames.length).fill(-1);
    this.rowTo = new Int32Array(this.relationTypeNames.length).fill(-1);
    this.indexTo = new Int32Array(this.relationTypeNames.length).fill(-1);
    this.indexToHash = new Int32Array(this.relationTypeNames.length);
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
    return this.relationTypes.code(type) >= 0;
  }

  /** Relation-type code of bytes s..e-1, or -1 when the schema does not declare it. */
  relationTypeCode(buf: Uint8Array, s: number, e: number): number {
    return this.relationTypes.codeOfBytes(buf, s, e);
  }

  private seen(ix: number): number {
    if (ix === this.typeOf.length) this.typeOf.push(UNDEFINED_TYPE);
    return ix;
  }

  // The last ID interned from a string: an entity's own ID is usually named again at once by its record's relations.
  private lastId: string | undefined;
  private lastIx = -1;

  private intern(id: string): number {
    if (id === this.lastId) return this.lastIx;
    const ix = this.seen(this.ids.intern(id));
    this.lastId = id;
    this.lastIx = ix;
    return ix;
  }

  private internBytes(buf: Uint8Array, s: number, e: number): number {
    return this.seen(this.ids.internBytes(buf, s, e));
  }

  /** The `from` of the last relation added by bytes: records of one entity come in runs. */
  private lastFrom = -1;
  private readonly lastTo: Int32Array;

  /** Index of an already defined entity, or -1. */
  definedIndex(id: string): number {
    const ix = this.ids.indexOf(id);
    return ix >= 0 && this.typeOf.data[ix] !== UNDEFINED_TYPE ? ix : -1;
  }

  /** Index of an already defined entity named by bytes s..e-1, or -1. */
  definedIndexBytes(buf: Uint8Array, s: number, e: number): number {
    const ix = this.ids.internBytes(buf, s, e, false);
    return ix >= 0 && this.typeOf.data[ix] !== UNDEFINED_TYPE ? ix : -1;
  }

  private typeCode(type: string): number {
    let code = this.types.code(type);
    if (code < 0) {
      if (this.types.names.length > 0xffff) throw new RangeError('at most 65536 entity types');
      code = this.types.add(type);
    }
    return code;
  }

  private setProtected(ix: number): void {
    if (ix >= this.protectedFlags.length) {
      const next = new Uint8Array(Math.max(ix + 1, this.protectedFlags.length * 2));
      next.set(this.protectedFlags);
      this.protectedFlags = next;
    }
    this.protectedFlags[ix] = 1;
  }

  /** Adds an entity; returns its index, or -1 when the ID was already defined (the first definition stays). */
  addEntity(e: Entity): number {
    const ix = this.intern(e.id);
    if (this.typeOf.data[ix] !== UNDEFINED_TYPE) return -1;
    this.typeOf.data[ix] = this.typeCode(e.type);
    if (e.name !== undefined) this.names.set(ix, e.name);
    if (e.protected) this.setProtected(ix);
    if (e.attributes !== undefined && Object.keys(e.attributes).length) this.attributes.set(ix, JSON.stringify(e.attributes));
    this.definedCount++;
    return ix;
  }

  /**
   * Adds an entity given as byte ranges of `buf` (UTF-8; end -1 for an absent name or attributes, which must be
   * the JSON text of a non-empty object). Returns its index, or -1 when the ID was already defined. `idHash`, when
   * given, is `hashBytes` of the ID (computed by the reader's worker thread).
   */
  addEntityBytes(
    buf: Uint8Array,
    idS: number,
    idE: number,
    typeS: number,
    typeE: number,
    nameS: number,
    nameE: number,
    isProtected: boolean,
    attrS: number,
    attrE: number,
    idHash?: number,
  ): number {
    const ix = this.seen(idHash === undefined ? this.ids.internBytes(buf, idS, idE) : this.ids.internBytesHashed(buf, idS, idE, idHash));
    if (this.typeOf.data[ix] !== UNDEFINED_TYPE) return -1;
    let code = this.types.codeOfBytes(buf, typeS, typeE);
    if (code < 0) code = this.typeCode(Buffer.from(buf.buffer, buf.byteOffset + typeS, typeE - typeS).toString('utf8'));
    this.typeOf.data[ix] = code;
    if (nameE >= 0) this.names.setBytes(ix, buf, nameS, nameE);
    if (isProtected) this.setProtected(ix);
    if (attrE >= 0) this.attributes.setBytes(ix, buf, attrS, attrE);
    this.definedCount++;
    return ix;
  }

  /**
   * Makes room for about `n` entities (a reader that knows how many rows are coming): the ID table is sized once
   * instead of growing and rehashing all the way up.
   */
  reserve(n: number): void {
    this.ids.reserve(n);
    if (n > this.typeOf.data.length) this.typeOf.grow(n);
  }

  /** The code of entity type `type` (added when new): for a reader that resolves a table's type once, not per row. */
  entityTypeCode(type: string): number {
    return this.typeCode(type);
  }

  /**
   * addEntityBytes for a reader that knows the entity type's code (entityTypeCode) and the ID's hash (hashBytes of
   * idS..idE-1), and whose name is in another buffer (nameE -1: none). Returns the entity's index, or, when the ID
   * was already defined, -1 - that index (the first definition stays; the caller can still add the row's relations).
   */
  addEntityHashed(
    idBuf: Uint8Array,
    idS: number,
    idE: number,
    idHash: number,
    typeCode: number,
    nameBuf: Uint8Array,
    nameS: number,
    nameE: number,
    isProtected: boolean,
  ): number {
    const ix = this.seen(this.ids.internBytesHashed(idBuf, idS, idE, idHash));
    if (this.typeOf.data[ix] !== UNDEFINED_TYPE) return -1 - ix;
    this.typeOf.data[ix] = typeCode;
    if (nameE >= 0) this.names.setBytes(ix, nameBuf, nameS, nameE);
    if (isProtected) this.setProtected(ix);
    this.definedCount++;
    return ix;
  }

  /**
   * Adds a relation from entity `from` (an index, e.g. addEntityHashed's) to the ID in bytes toS..toE-1 of `buf`,
   * whose hashBytes is `toHash`; `code` from relationTypeCode.
   */
  addRelationFromIndex(from: number, code: number, buf: Uint8Array, toS: number, toE: number, toHash: number): void {
    // Per relation type, the last target: children of one parent, members of one site come in runs.
    const lastTo = this.indexTo[code];
    const to =
      lastTo >= 0 && this.indexToHash[code] === toHash && this.ids.is(lastTo, buf, toS, toE)
        ? lastTo
        : (this.indexTo[code] = this.seen(this.ids.internBytesHashed(buf, toS, toE, toHash)));
    this.indexToHash[code] = toHash;
    this.relFrom.push(from);
    this.relTo.push(to);
    this.relType.push(code);
  }
  /** addRelationFromIndex's look-back: the last target per relation type, and its hash. */
  private readonly indexTo: Int32Array;
  private readonly indexToHash: Int32Array;

  /** Adds a relation; returns false (and adds nothing) when the schema does not know its type. `tag` is returned with dangling reports. */
  addRelation(from: string, type: string, to: string, tag?: number): boolean {
    const code = this.relationTypes.code(type);
    if (code < 0) return false;
    if (tag !== undefined) (this.tags ??= new GrowableFloat64()).set(this.relFrom.length, tag);
    this.relFrom.push(this.intern(from));
    this.relTo.push(this.intern(to));
    this.relType.push(code);
    return true;
  }

  /** Adds a relation given as byte ranges of `buf` and a code from `relationTypeCode`. */
  addRelationBytes(buf: Uint8Array, fromS: number, fromE: number, code: number, toS: number, toE: number, tag?: number): void {
    if (tag !== undefined) (this.tags ??= new GrowableFloat64()).set(this.relFrom.length, tag);
    const last = this.lastFrom;
    const from = last >= 0 && this.ids.is(last, buf, fromS, fromE) ? last : (this.lastFrom = this.internBytes(buf, fromS, fromE));
    // Per relation type, the last target: children of one parent, members of one site come in runs.
    const lastTo = this.lastTo[code];
    const to = lastTo >= 0 && this.ids.is(lastTo, buf, toS, toE) ? lastTo : (this.lastTo[code] = this.internBytes(buf, toS, toE));
    this.relFrom.push(from);
    this.relTo.push(to);
    this.relType.push(code);
  }

  /**
   * addRelationBytes for rows of the parallel reader (ndjson-fast.ts scanRecord): the IdTable hashes of both IDs are
   * computed, and `sameFrom` says the `from` is the previous row's (`sameTo`: the `to` is that of the last row of this
   * relation type). Rows must come in order, every relation row (code -1, adding nothing, for a declined one).
   */
  addRelationBytesHashed(
    buf: Uint8Array,
    fromS: number,
    fromE: number,
    fromH: number,
    sameFrom: boolean,
    code: number,
    toS: number,
    toE: number,
    toH: number,
    sameTo: boolean,
    tag?: number,
  ): void {
    if (code < 0) {
      this.rowFrom = -1;
      return;
    }
    if (tag !== undefined) (this.tags ??= new GrowableFloat64()).set(this.relFrom.length, tag);
    const ids = this.ids;
    const from = sameFrom && this.rowFrom >= 0 ? this.rowFrom : (this.rowFrom = this.seen(ids.internBytesHashed(buf, fromS, fromE, fromH)));
    const lastTo = this.rowTo[code];
    const to = sameTo && lastTo >= 0 ? lastTo : (this.rowTo[code] = this.seen(ids.internBytesHashed(buf, toS, toE, toH)));
    this.relFrom.push(from);
    this.relTo.push(to);
    this.relType.push(code);
  }
  /** addRelationBytesHashed's look-back (kept apart from addRelationBytes's, which compares bytes). */
  private rowFrom = -1;
  private readonly rowTo: Int32Array;

  /** Relations that name an entity never defined (at most `limit` listed; `count` is the total). */
  dangling(limit = Infinity): { count: number; items: DanglingRelation[] } {
    const defined = this.typeOf.data;
    const from = this.relFrom.data;
    const to = this.relTo.data;
    const items: DanglingRelation[] = [];
    let count = 0;
    if (this.definedCount === this.ids.size) return { count, items };
    for (let r = 0; r < this.relFrom.length; r++) {
      const fm = defined[from[r]] === UNDEFINED_TYPE;
      const tm = defined[to[r]] === UNDEFINED_TYPE;
      if (!fm && !tm) continue;
      count++;
      if (items.length < limit) {
        items.push({
          ordinal: r,
          tag: this.tags?.data[r] ?? 0,
          from: this.ids.get(from[r]),
          type: this.relationTypeNames[this.relType.data[r]],
          to: this.ids.get(to[r]),
          missing: fm && tm ? 'both' : fm ? 'from' : 'to',
        });
      }
    }
    return { count, items };
  }

  /** Calls `fn` with the tag of every relation that names an entity never defined (no list is built). */
  forEachDangling(fn: (tag: number) => void): void {
    if (this.definedCount === this.ids.size) return;
    const defined = this.typeOf.data;
    const from = this.relFrom.data;
    const to = this.relTo.data;
    for (let r = 0; r < this.relFrom.length; r++) {
      if (defined[from[r]] === UNDEFINED_TYPE || defined[to[r]] === UNDEFINED_TYPE) fn(this.tags?.data[r] ?? 0);
    }
  }

  /**
   * The relations added, as parallel arrays (views of the builder's own), for a reader that orders them itself
   * (src/store/reorder.ts) and so builds without adjacency (`build(false)`). Only when every ID named is
   * defined (`dangling()` is empty): indices are then the built graph's.
   */
  relationList(): { from: Int32Array; to: Int32Array; type: Uint16Array } {
    if (this.definedCount !== this.ids.size) throw new Error('relationList: some relations name undefined entities');
    return { from: this.relFrom.view(), to: this.relTo.view(), type: this.relType.view() };
  }

  /**
   * Builds the graph, dropping relations that name undefined entities (call `dangling()` first to report them).
   * With `adjacency` false the graph has no relations (empty CSRs): the caller builds them from relationList().
   */
  build(adjacency = true): CompactGraph {
    const n0 = this.ids.size;
    const defined = this.typeOf.data;
    let ids = this.ids;
    let names = this.names;
    let attributes = this.attributes;
    let remap: Int32Array | undefined;
    if (this.definedCount !== n0) {
      // Renumber so that only defined entities remain (IDs seen only in dangling relations disappear).
      remap = new Int32Array(n0);
      ids = new IdTable();
      names = new TextColumn();
      attributes = new TextColumn();
      for (let i = 0; i < n0; i++) {
        if (defined[i] === UNDEFINED_TYPE) {
          remap[i] = -1;
          continue;
        }
        const j = ids.intern(this.ids.get(i));
        remap[i] = j;
        const name = this.names.get(i);
        if (name !== undefined) names.set(j, name);
        const attrs = this.attributes.get(i);
        if (attrs !== undefined) attributes.set(j, attrs);
      }
    }
    const n = ids.size;
    const typeCodes = new Uint16Array(n);
    const protectedFlags = new Uint8Array(n);
    for (let i = 0; i < n0; i++) {
      const j = remap ? remap[i] : i;
      if (j < 0) continue;
      typeCodes[j] = defined[i];
      if (i < this.protectedFlags.length) protectedFlags[j] = this.protectedFlags[i];
    }
    // Keep only relations whose ends both exist.
    const m0 = this.relFrom.length;
    let from = this.relFrom.view();
    let to = this.relTo.view();
    let type = this.relType.view();
    if (remap) {
      const f2 = new Int32Array(m0);
      const t2 = new Int32Array(m0);
      const y2 = new Uint16Array(m0);
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
    const none = { offsets: new Int32Array(n + 1), nodes: new Int32Array(0), types: new Uint16Array(0) };
    const incoming = adjacency ? buildCsr(n, to, from, type) : none;
    const outgoing = adjacency ? buildCsr(n, from, to, type) : none;
    return new CompactGraph(
      this.schema,
      ids,
      this.types.names.slice(),
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
export function buildCsr(n: number, key: Int32Array, other: Int32Array, type: Uint16Array | Int32Array): Csr {
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
