// The fast path of a load into an empty database: `UNWIND … CREATE` in large batches (no MERGE lookups, no label
// juggling), entities first, then relations grouped by type. Where the time went before (docs/neo4j.md, "Loading
// fast"): a relation found its two ends through the `id` index, two index seeks per relation, most of the server's
// work. Now each entity batch returns the internal node IDs it created, the client keeps them in one typed array
// (entity index → node ID, 8 bytes per entity), and relations are created between nodes found by internal ID
// (`NodeByIdSeek`, a direct record lookup). Parameters go as columns (one list per field), not one map per row.
// Rows are built from the GraphIndex one batch at a time, so the client holds at most `inFlight` batches beyond the
// graph itself and that array. Used only when the database holds no blastguard graph at all: a load cut off
// half-way leaves the schema node marked as loading, so the next run takes the idempotent MERGE path (write.ts) and
// converges. Nothing is stamped with the load's ID here: with nothing there before, there is nothing to tell apart,
// and a later load counts an unstamped node or relationship it does not write as stale, as it does one another load
// stamped (a property on each of millions of relationships is a large part of their cost).
import type { QueryResult, Session } from 'neo4j-driver';
import type { GraphIndex } from '../compact.js';
import type { Neo4jConnection } from './connect.js';
import { ENTITY_LABEL, quoted, SCHEMA_LABEL } from './names.js';

/**
 * Rows per CREATE transaction when the caller gave no batch size. Not as large as Neo4j's import advice suggests:
 * a transaction's state lives on the server's heap until it commits, and at 20,000 rows (two in flight) it outlived
 * the young generation, so the garbage collector copied and promoted it: 35 of 153 server CPU-seconds on the 1 M
 * tenant went to GC at 20,000 rows, 11 at 10,000, 3 at 5,000 (docs/neo4j.md, "Loading fast"). Below ~2,500 the
 * per-transaction cost (commit, log force, more lock waits) takes over.
 */
export const CREATE_BATCH_SIZE = 5_000;
/** Write transactions in flight at once (measured on 2 cores: see docs/neo4j.md). */
export const CREATE_IN_FLIGHT = 2;

/** True when the database holds no :BlastguardSchema node and no :BlastguardEntity node (nothing to merge with). */
export async function holdsNoGraph(session: Session): Promise<boolean> {
  const res = await session.executeRead((tx) =>
    tx.run(
      `OPTIONAL MATCH (s:${SCHEMA_LABEL}) WITH count(s) AS schemas ` +
        `OPTIONAL MATCH (n:${ENTITY_LABEL}) WITH schemas, n LIMIT 1 RETURN schemas = 0 AND n IS NULL AS empty`,
    ),
  );
  return res.records[0]?.get('empty') === true;
}

/** Runs batches with at most `limit` write transactions in flight, each in a session of its own. */
class Pipeline {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly conn: Neo4jConnection,
    private readonly limit: number,
  ) {}

  async submit(query: string, params: Record<string, unknown>, done: (result: QueryResult) => void): Promise<void> {
    while (this.running.size >= Math.max(1, this.limit)) await Promise.race(this.running);
    if (this.failure) throw this.failure;
    // A failure (of the batch, or of the progress callback) is kept and thrown by the next submit or by drain.
    const p = this.run(query, params)
      .then((result) => done(result))
      .catch((err: unknown) => {
        this.failure ??= err;
      });
    const tracked = p.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  async drain(): Promise<void> {
    await this.settle();
    if (this.failure) throw this.failure;
  }

  /** Waits for every transaction in flight: none may still be writing when the load has failed and returned. */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.race(this.running);
  }

  /** Runs `fill` (which submits), then drains; on any failure the transactions in flight finish before it throws. */
  async around(fill: () => Promise<void>): Promise<void> {
    try {
      await fill();
    } catch (err) {
      await this.settle();
      throw err;
    }
    await this.drain();
  }

  private async run(query: string, params: Record<string, unknown>): Promise<QueryResult> {
    const session = this.conn.session('WRITE');
    try {
      return await session.executeWrite((tx) => tx.run(query, params));
    } finally {
      await session.close();
    }
  }
}

export interface CreateOptions {
  batchSize: number;
  inFlight: number;
  onBatch: (kind: 'entities' | 'relations', rows: number) => void;
}

/**
 * The internal node ID of every entity of the graph, by entity index, as the entity batches created them. Node IDs are
 * integers below 2^53 (8-byte record IDs), so a Float64Array holds them exactly.
 */
export type NodeIds = Float64Array;

/**
 * Creates every entity of `g`, one query per entity type (its label is part of the text, checked by names.ts), and
 * returns the internal node ID of each plus the batch count. A batch that did not create exactly its rows is an
 * internal error: relations would then be created against the wrong nodes.
 */
export async function createEntities(conn: Neo4jConnection, g: GraphIndex, o: CreateOptions): Promise<{ nodeIds: NodeIds; batches: number }> {
  const queries = g.typeNames.map(
    (t) =>
      `UNWIND range(0, size($ids) - 1) AS i CREATE (n:${ENTITY_LABEL}:${quoted(t)} ` +
      `{id: $ids[i], type: $type, name: $names[i], protected: $protected[i], attributes: $attributes[i]}) ` +
      `RETURN collect(i) AS rows, collect(id(n)) AS nodes`,
  );
  const nodeIds: NodeIds = new Float64Array(g.size).fill(-1);
  type Batch = { index: number[]; ids: string[]; names: (string | null)[]; protected: (true | null)[]; attributes: (string | null)[] };
  const empty = (): Batch => ({ index: [], ids: [], names: [], protected: [], attributes: [] });
  const pending: Batch[] = g.typeNames.map(empty);
  const pipe = new Pipeline(conn, o.inFlight);
  let batches = 0;
  const flush = async (code: number) => {
    const b = pending[code];
    if (!b.ids.length) return;
    pending[code] = empty();
    batches++;
    const params = { ids: b.ids, names: b.names, protected: b.protected, attributes: b.attributes, type: g.typeNames[code] };
    await pipe.submit(queries[code], params, (res) => {
      const row = res.records[0];
      const rows = row?.get('rows') as number[] | undefined;
      const nodes = row?.get('nodes') as number[] | undefined;
      if (!rows || !nodes || rows.length !== b.index.length || nodes.length !== rows.length) {
        throw new Error(`internal error: a batch of ${b.index.length} entities created ${rows?.length ?? 0} nodes`);
      }
      for (let k = 0; k < rows.length; k++) nodeIds[b.index[rows[k]]] = nodes[k];
      o.onBatch('entities', b.index.length);
    });
  };
  await pipe.around(async () => {
    for (let i = 0; i < g.size; i++) {
      const code = g.typeCodes[i];
      const attrs = g.attributesOf(i);
      const b = pending[code];
      b.index.push(i);
      b.ids.push(g.idOf(i));
      b.names.push(g.nameOf(i) ?? null);
      b.protected.push(g.isProtected(i) ? true : null);
      b.attributes.push(attrs && Object.keys(attrs).length ? JSON.stringify(attrs) : null);
      if (b.ids.length >= o.batchSize) await flush(code);
    }
    for (let code = 0; code < pending.length; code++) await flush(code);
  });
  return { nodeIds, batches };
}

/**
 * Creates every relation of `g` between the nodes `createEntities` made, one query per relation type, both ends found
 * by internal node ID. Neo4j keeps one relationship per (from, type, to), as the MERGE path does, so a relation
 * listed twice is created once. A batch that did not create exactly its rows (an end not found) is an internal
 * error, never a silently smaller graph. Returns [relationships created, batches].
 */
export async function createRelations(conn: Neo4jConnection, g: GraphIndex, nodeIds: NodeIds, o: CreateOptions): Promise<[number, number]> {
  // id() is deprecated in Neo4j 5 in favour of elementId(), but it is the lookup that costs nothing to send: an
  // element ID is a ~40-character string per end, 2 per relation. NodeByIdSeek either way.
  const queries = g.relationTypeNames.map(
    (t) => `UNWIND range(0, size($from) - 1) AS i MATCH (a) WHERE id(a) = $from[i] MATCH (b) WHERE id(b) = $to[i] ` + `CREATE (a)-[:${quoted(t)}]->(b)`,
  );
  type Batch = { from: number[]; to: number[] };
  const pending: Batch[] = g.relationTypeNames.map(() => ({ from: [], to: [] }));
  const pipe = new Pipeline(conn, o.inFlight);
  let batches = 0;
  let created = 0;
  const flush = async (code: number) => {
    const b = pending[code];
    if (!b.from.length) return;
    pending[code] = { from: [], to: [] };
    batches++;
    created += b.from.length;
    await pipe.submit(queries[code], b, (res) => {
      const made = res.summary.counters.updates().relationshipsCreated;
      if (made !== b.from.length) throw new Error(`internal error: a batch of ${b.from.length} relations created ${made} relationships`);
      o.onBatch('relations', b.from.length);
    });
  };
  const { offsets, nodes, types } = g.outgoing;
  const seen = new Set<number>();
  const width = g.relationTypeNames.length;
  const node = (ix: number): number => {
    const id = nodeIds[ix];
    if (!(id >= 0)) throw new Error(`internal error: entity ${g.idOf(ix)} has no node`);
    return id;
  };
  await pipe.around(async () => {
    for (let i = 0; i < g.size; i++) {
      const start = offsets[i];
      const end = offsets[i + 1];
      if (end - start > 1) seen.clear();
      const from = node(i);
      for (let e = start; e < end; e++) {
        const code = types[e];
        if (end - start > 1) {
          const key = nodes[e] * width + code;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        const b = pending[code];
        b.from.push(from);
        b.to.push(node(nodes[e]));
        if (b.from.length >= o.batchSize) await flush(code);
      }
    }
    for (let code = 0; code < pending.length; code++) await flush(code);
  });
  return [created, batches];
}
