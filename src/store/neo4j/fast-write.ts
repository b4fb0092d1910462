// The fast path of a load into an empty database: `UNWIND $rows … CREATE` in large batches (no MERGE lookups, no
// label juggling), entities first (the uniqueness constraint is already in place, so relations find their ends by
// index), then relations grouped by type. Rows are built from the GraphIndex one batch at a time, so the client
// holds at most `inFlight` batches beyond the graph itself. Used only when the database holds no blastguard graph
// at all: a load cut off half-way leaves the schema node marked as loading, so the next run takes the idempotent
// MERGE path (write.ts) and converges. Nothing is stamped with the load's ID here: with nothing there before, there
// is nothing to tell apart, and a later load counts an unstamped node or relationship it does not write as stale, as
// it does one another load stamped (a property on each of millions of relationships is a large part of their cost).
import type { Session } from 'neo4j-driver';
import type { GraphIndex } from '../compact.js';
import type { Neo4jConnection } from './connect.js';
import { ENTITY_LABEL, quoted, SCHEMA_LABEL } from './names.js';

/** Rows per CREATE transaction when the caller gave no batch size: large, as Neo4j's own import advice says. */
export const CREATE_BATCH_SIZE = 20_000;
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

  async submit(query: string, params: Record<string, unknown>, done: () => void): Promise<void> {
    while (this.running.size >= Math.max(1, this.limit)) await Promise.race(this.running);
    if (this.failure) throw this.failure;
    // A failure (of the batch, or of the progress callback) is kept and thrown by the next submit or by drain.
    const p = this.run(query, params)
      .then(() => done())
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

  private async run(query: string, params: Record<string, unknown>): Promise<void> {
    const session = this.conn.session('WRITE');
    try {
      await session.executeWrite((tx) => tx.run(query, params));
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

/** Creates every entity of `g`, one query per entity type (its label is part of the text). Returns the batch count. */
export async function createEntities(conn: Neo4jConnection, g: GraphIndex, o: CreateOptions): Promise<number> {
  const queries = g.typeNames.map(
    (t) => `UNWIND $rows AS row CREATE (:${ENTITY_LABEL}:${quoted(t)} ` + `{id: row[0], type: $type, name: row[1], protected: row[2], attributes: row[3]})`,
  );
  const pending: unknown[][][] = g.typeNames.map(() => []);
  const pipe = new Pipeline(conn, o.inFlight);
  let batches = 0;
  const flush = async (code: number) => {
    const rows = pending[code];
    if (!rows.length) return;
    pending[code] = [];
    batches++;
    await pipe.submit(queries[code], { rows, type: g.typeNames[code] }, () => o.onBatch('entities', rows.length));
  };
  await pipe.around(async () => {
    for (let i = 0; i < g.size; i++) {
      const code = g.typeCodes[i];
      const attrs = g.attributesOf(i);
      pending[code].push([g.idOf(i), g.nameOf(i) ?? null, g.isProtected(i) ? true : null, attrs && Object.keys(attrs).length ? JSON.stringify(attrs) : null]);
      if (pending[code].length >= o.batchSize) await flush(code);
    }
    for (let code = 0; code < pending.length; code++) await flush(code);
  });
  return batches;
}

/**
 * Creates every relation of `g`, one query per relation type. Neo4j keeps one relationship per (from, type, to),
 * as the MERGE path does, so a relation listed twice is created once. Returns [relationships created, batches].
 */
export async function createRelations(conn: Neo4jConnection, g: GraphIndex, o: CreateOptions): Promise<[number, number]> {
  const queries = g.relationTypeNames.map(
    (t) => `UNWIND $rows AS row MATCH (a:${ENTITY_LABEL} {id: row[0]}) MATCH (b:${ENTITY_LABEL} {id: row[1]}) ` + `CREATE (a)-[:${quoted(t)}]->(b)`,
  );
  const pending: [string, string][][] = g.relationTypeNames.map(() => []);
  const pipe = new Pipeline(conn, o.inFlight);
  let batches = 0;
  let created = 0;
  const flush = async (code: number) => {
    const rows = pending[code];
    if (!rows.length) return;
    pending[code] = [];
    batches++;
    created += rows.length;
    await pipe.submit(queries[code], { rows }, () => o.onBatch('relations', rows.length));
  };
  const { offsets, nodes, types } = g.outgoing;
  const seen = new Set<number>();
  const width = g.relationTypeNames.length;
  await pipe.around(async () => {
    for (let i = 0; i < g.size; i++) {
      const start = offsets[i];
      const end = offsets[i + 1];
      if (end - start > 1) seen.clear();
      const from = g.idOf(i);
      for (let e = start; e < end; e++) {
        const code = types[e];
        if (end - start > 1) {
          const key = nodes[e] * width + code;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        pending[code].push([from, g.idOf(nodes[e])]);
        if (pending[code].length >= o.batchSize) await flush(code);
      }
    }
    for (let code = 0; code < pending.length; code++) await flush(code);
  });
  return [created, batches];
}
