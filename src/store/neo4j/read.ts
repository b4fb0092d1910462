// Reading a graph out of Neo4j into the in-memory engine: the schema from its :BlastguardSchema node, then the
// entity nodes in pages (keyset on the unique `id`, in index order) each with its outgoing relationships.
import neo4j, { type ManagedTransaction, type Record as Neo4jRecord, type Transaction } from 'neo4j-driver';
import { byCodeUnit } from '../../model/compare.js';
import { InputError, ProblemList } from '../../model/errors.js';
import type { Schema } from '../../model/types.js';
import { GraphBuilder, type CompactGraph } from '../compact.js';
import { inOrder } from '../reorder.js';
import type { NodeRecord } from './canonical.js';
import type { Neo4jConnection } from './connect.js';
import { ENTITY_LABEL, isCypherName, quoted } from './names.js';
import { requireCompleteSchema } from './schema.js';

type Tx = ManagedTransaction | Transaction;

/**
 * A relationship pattern's type filter, `:\`A\`|\`B\``, when every name is a plain Cypher name (Neo4j then reads only
 * those relationship groups of a dense node); '' otherwise. Always used beside `type(r) IN $param`, which alone
 * decides, so a schema whose type names cannot be written into Cypher text (someone else's graph) is still exact.
 */
export function typedPattern(types: readonly string[]): string {
  return types.length && types.every(isCypherName) ? `:${types.map(quoted).join('|')}` : '';
}

/**
 * Turns the properties of an entity node into a record, or adds a problem. `id` and `type` must be non-empty
 * strings; `name` a string when present; `protected` is true only when the property is exactly true.
 */
export function toNodeRecord(
  props: { id: unknown; type: unknown; name?: unknown; protected?: unknown; attributes?: unknown; elementId?: string },
  problems: ProblemList,
  where: string,
): NodeRecord | null {
  const { id, type, name } = props;
  const node = typeof id === 'string' ? `node "${id}"` : `node ${props.elementId ?? '?'}`;
  if (typeof id !== 'string' || id === '') {
    problems.add({
      file: where,
      field: `${node}.id`,
      message: `a :${ENTITY_LABEL} node needs a non-empty string "id" (found ${JSON.stringify(id) ?? 'none'})`,
    });
    return null;
  }
  if (typeof type !== 'string' || type === '') {
    problems.add({ file: where, field: `${node}.type`, message: `needs a non-empty string "type" (found ${JSON.stringify(type) ?? 'none'})` });
    return null;
  }
  const rec: NodeRecord = { id, type };
  if (name !== null && name !== undefined) {
    if (typeof name !== 'string') {
      problems.add({ file: where, field: `${node}.name`, message: 'must be a string' });
      return null;
    }
    rec.name = name;
  }
  if (props.protected === true) rec.protected = true;
  if (typeof props.attributes === 'string') {
    try {
      const a = JSON.parse(props.attributes) as unknown;
      if (a && typeof a === 'object' && !Array.isArray(a)) rec.attributes = a as Record<string, unknown>;
    } catch {
      problems.add({ file: where, field: `${node}.attributes`, message: 'is not JSON' });
    }
  }
  return rec;
}

export interface ReadOptions {
  /** Entity nodes per page (default 5000). */
  pageSize?: number;
}

/** Reads the whole blastguard graph of the database, in pages, into a CompactGraph (in canonical order). */
export async function readGraph(conn: Neo4jConnection, options: ReadOptions = {}): Promise<CompactGraph> {
  const page = Math.max(1, options.pageSize ?? 5000);
  const session = conn.session('READ');
  try {
    return await session.executeRead((tx) => readGraphIn(tx, conn.where, page));
  } finally {
    await session.close();
  }
}

/**
 * One page of entity nodes in columns: a few records of parallel lists (one per SLICE nodes) instead of a record per
 * node, because the per-record cost of Bolt (the server's row, the driver's Record) was most of both sides' CPU.
 * Slices, not one record per page: the driver reads a message longer than one Bolt chunk through a buffer that
 * looks up every byte across the chunks, which made a page-sized record cost more per node the larger the page.
 * Relation ends are internal node ids (small integers, a few bytes each, no string to decode or look up) and each
 * relation is one integer `i * $k + code` for the i-th node of the slice and the code of its type in the schema's
 * list. A slice's relations come in the order of i, so they are grouped by their `from`. The next page starts after
 * `last`, the page's greatest ID in Neo4j's own order, whatever order `collect` kept.
 */
function pageQuery(types: readonly string[]): string {
  return (
    `MATCH (n:${ENTITY_LABEL}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page ` +
    `WITH collect(n) AS ps, max(n.id) AS last ` +
    `UNWIND range(0, size(ps) - 1, $slice) AS s WITH ps[s..s + $slice] AS ns, last ` +
    `CALL { WITH ns UNWIND range(0, size(ns) - 1) AS i WITH i, ns[i] AS n ` +
    `MATCH (n)-[r${typedPattern(types)}]->(m:${ENTITY_LABEL}) WHERE type(r) IN $types ` +
    `RETURN collect(i * $k + $codes[type(r)]) AS rel, collect(id(m)) AS to } ` +
    `RETURN [n IN ns | id(n)] AS nid, [n IN ns | n.id] AS id, [n IN ns | n.type] AS type, [n IN ns | n.name] AS name, ` +
    `[n IN ns | n.protected] AS protected, [n IN ns | n.attributes] AS attributes, rel, to, last`
  );
}

/** Nodes per record of a page (see pageQuery): a record stays within a Bolt chunk or two. */
const SLICE = 100;

type NumberArray = Int32Array | Uint16Array | Float64Array;

/** A growable typed array (relation ends and codes, millions of them). */
class Numbers<A extends NumberArray> {
  data: A;
  length = 0;
  constructor(private readonly make: (n: number) => A) {
    this.data = make(1024);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): A {
    return this.data.subarray(0, this.length) as A;
  }
}

const float64 = (n: number) => new Float64Array(n);

/**
 * Internal node id → entity index (an array when the ids are dense, as they are in a graph loaded by blastguard),
 * and how many distinct nodes were read.
 */
function nodeIndexOf(nids: Numbers<Float64Array>, index: Numbers<Int32Array>): { indexOf: (nid: number) => number; distinct: number } {
  let max = -1;
  for (let k = 0; k < nids.length; k++) if (nids.data[k] > max) max = nids.data[k];
  if (max < 4 * nids.length + 1_000_000) {
    const at = new Int32Array(max + 1).fill(-1);
    let distinct = 0;
    for (let k = 0; k < nids.length; k++) {
      if (at[nids.data[k]] < 0) distinct++;
      at[nids.data[k]] = index.data[k];
    }
    return { indexOf: (nid) => (nid <= max ? at[nid] : -1), distinct };
  }
  const map = new Map<number, number>();
  for (let k = 0; k < nids.length; k++) map.set(nids.data[k], index.data[k]);
  return { indexOf: (nid) => map.get(nid) ?? -1, distinct: map.size };
}

/**
 * The graph of a read. Entities are added as they come (the first node of an ID wins); they come in key order,
 * which is the canonical order always, unless two IDs differ first in a character beyond U+FFFF against one in
 * U+E000–U+FFFF (Neo4j orders by code point, the canonical order is by UTF-16 code unit) or an ID comes twice: then
 * the entities are put in canonical order at the end. Relations are kept as entity indices and type codes, put in
 * (from, type name, to) order without duplicates by inOrder — per entity only, when they came grouped by `from`.
 */
class ColumnBuilder {
  private readonly builder: GraphBuilder;
  private inOrder = true;
  private last: string | undefined;
  /** Internal node id and entity index of every node read. */
  private readonly nids = new Numbers(float64);
  private readonly index = new Numbers((n) => new Int32Array(n));
  /** Relations: entity index of `from`, type code, internal node id of `to`. */
  private readonly relFrom = new Numbers((n) => new Int32Array(n));
  private readonly relType = new Numbers((n) => new Uint16Array(n));
  private readonly relTo = new Numbers(float64);

  constructor(
    private readonly schema: Schema,
    private readonly where: string,
  ) {
    this.builder = new GraphBuilder(schema);
  }

  reserve(n: number): void {
    this.builder.reserve(n);
  }

  /** Adds an entity read as internal node id `nid`; returns its index. */
  add(nid: number, rec: NodeRecord): number {
    if (!Number.isSafeInteger(nid))
      throw new InputError({ file: this.where, message: `Neo4j returned internal node id ${nid}, beyond what can be read exactly` });
    if (this.last !== undefined && !(this.last < rec.id)) this.inOrder = false;
    this.last = rec.id;
    let ix = this.builder.addEntity(rec);
    if (ix < 0) ix = this.builder.definedIndex(rec.id);
    this.nids.push(nid);
    this.index.push(ix);
    return ix;
  }

  addRelation(from: number, code: number, toNid: number): void {
    this.relFrom.push(from);
    this.relType.push(code);
    this.relTo.push(toNid);
  }

  private nodes: ReturnType<typeof nodeIndexOf> | undefined;

  /** How many distinct nodes were added (a node can come twice only if the graph changed under the keyset). */
  get distinct(): number {
    return (this.nodes ??= nodeIndexOf(this.nids, this.index)).distinct;
  }

  build(): CompactGraph {
    const { indexOf } = (this.nodes ??= nodeIndexOf(this.nids, this.index));
    const g = this.builder.build(false);
    const n = g.size;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (!this.inOrder) {
      const ids = Array.from({ length: n }, (_, i) => g.idOf(i));
      order.sort((a, b) => byCodeUnit(ids[a], ids[b]));
    }
    const m = this.relTo.length;
    const to = new Int32Array(m);
    for (let r = 0; r < m; r++) {
      const t = indexOf(this.relTo.data[r]);
      if (t < 0) {
        // Every :BlastguardEntity node with a string id was read: a relation to another one means the graph changed.
        throw new InputError({
          file: this.where,
          message: 'the graph changed while it was read (a relation leads to a node the read did not see); read it again',
        });
      }
      to[r] = t;
    }
    return inOrder(g, order, { from: this.relFrom.view(), to, type: this.relType.view() });
  }
}

/** Adds the entities and relations of one record of a page; returns how many nodes were refused. */
function addSlice(r: Neo4jRecord, builder: ColumnBuilder, k: number, problems: ProblemList, where: string): number {
  const [nid, ids, type, name, prot, attributes] = ['nid', 'id', 'type', 'name', 'protected', 'attributes'].map((f) => r.get(f) as unknown[]);
  let refused = 0;
  // Entity index of the slice's i-th node (-1: refused).
  const at = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const rec = toNodeRecord({ id: ids[i], type: type[i], name: name[i], protected: prot[i], attributes: attributes[i] }, problems, where);
    at[i] = rec ? builder.add(nid[i] as number, rec) : -1;
    if (!rec) refused++;
  }
  const rel = r.get('rel') as number[];
  const to = r.get('to') as number[];
  for (let j = 0; j < rel.length; j++) {
    const i = Math.floor(rel[j] / k);
    if (at[i] >= 0) builder.addRelation(at[i], rel[j] - i * k, to[j]);
  }
  return refused;
}

async function readGraphIn(tx: Tx, where: string, page: number): Promise<CompactGraph> {
  const schema = await requireCompleteSchema(tx, where);
  const types = Object.keys(schema.relations);
  const codes = Object.fromEntries(types.map((t, i) => [t, i]));
  const k = types.length;
  const problems = new ProblemList(20);
  const total = (await tx.run(`MATCH (n:${ENTITY_LABEL}) RETURN count(n) AS c`)).records[0].get('c') as number;
  const builder = new ColumnBuilder(schema, where);
  builder.reserve(total);
  const query = pageQuery(types);
  let refused = 0;
  const ask = (from: string) => {
    const pending = tx.run(query, { after: from, page: neo4j.int(page), slice: neo4j.int(SLICE), types, codes, k: neo4j.int(k) });
    pending.catch(() => {}); // awaited below; a failure must not surface as unhandled while a page is processed
    return pending;
  };
  let next = ask('');
  for (;;) {
    const { records } = await next;
    let count = 0;
    for (const r of records) count += (r.get('nid') as unknown[]).length;
    // The next page is asked for before this one is processed: the server reads it while the client builds.
    const full = count === page;
    if (full) {
      next = ask(records[0].get('last') as string);
      // The driver sends the request from a promise callback: let it go out before this page is processed, or the
      // server would only start on the next page once this one is done (no overlap at all).
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const r of records) refused += addSlice(r, builder, k, problems, where);
    if (!full) break;
  }
  // Nodes whose id is not a string are invisible to the keyset above: count them. (So is a node whose ID another
  // node has too, when a page ends between them: only a database without the uniqueness constraint has those.)
  const seen = refused + builder.distinct;
  if (total > seen) {
    problems.add({ file: where, field: 'id', message: `${total - seen} :${ENTITY_LABEL} node(s) have no string "id" (or one another node has too)` });
  }
  problems.throwIfAny();
  return builder.build();
}
