// Reading a graph out of Neo4j into the in-memory engine: the schema from its :BlastguardSchema node, then the
// entity nodes in pages (keyset on the unique `id`, in index order) each with its outgoing relationships.
import neo4j, { type ManagedTransaction, type Transaction } from 'neo4j-driver';
import { byCodeUnit } from '../../model/compare.js';
import { ProblemList } from '../../model/errors.js';
import type { Schema } from '../../model/types.js';
import { GraphBuilder, type CompactGraph } from '../compact.js';
import { CanonicalGraphBuilder, type NodeRecord } from './canonical.js';
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
 * The graph of a read, built from nodes that arrive in key order, each with its relations. When that order is the
 * canonical one — always, unless two IDs differ first in a character beyond U+FFFF against one in U+E000–U+FFFF
 * (Neo4j orders by code point, the canonical order is by UTF-16 code unit) or an ID comes twice — the entities are
 * added as they came and each node's few relations are sorted on their own: no sort of the whole graph, no map of
 * a million IDs. Otherwise the general CanonicalGraphBuilder gives the same graph the slow way.
 */
class KeyOrderBuilder {
  private readonly nodes: NodeRecord[] = [];
  private readonly outs: [string, unknown][][] = [];
  private inOrder = true;
  private readonly rank: Map<string, number>;

  constructor(private readonly schema: Schema) {
    this.rank = new Map(
      Object.keys(schema.relations)
        .sort(byCodeUnit)
        .map((t, i) => [t, i]),
    );
  }

  add(rec: NodeRecord, out: [string, unknown][]): void {
    const last = this.nodes.length ? this.nodes[this.nodes.length - 1].id : undefined;
    if (last !== undefined && !(last < rec.id)) this.inOrder = false;
    this.nodes.push(rec);
    this.outs.push(out);
  }

  build(): CompactGraph {
    const { nodes, outs, rank } = this;
    if (!this.inOrder) {
      const slow = new CanonicalGraphBuilder(this.schema);
      nodes.forEach((rec, i) => {
        slow.addNode(rec);
        for (const [type, to] of outs[i]) if (typeof to === 'string') slow.addRelation(rec.id, type, to);
      });
      return slow.build();
    }
    const b = new GraphBuilder(this.schema);
    for (const rec of nodes) b.addEntity(rec);
    // Relations by (from, type name, to): `from` is the node order; ends that are not entities are dropped by build().
    const byTypeThenTo = (x: [string, string], y: [string, string]) => rank.get(x[0])! - rank.get(y[0])! || byCodeUnit(x[1], y[1]);
    for (let i = 0; i < nodes.length; i++) {
      const list = outs[i].filter((r): r is [string, string] => typeof r[1] === 'string' && rank.has(r[0]));
      if (list.length > 1) list.sort(byTypeThenTo);
      for (let k = 0; k < list.length; k++) {
        const [type, to] = list[k];
        if (k > 0 && list[k - 1][0] === type && list[k - 1][1] === to) continue;
        b.addRelation(nodes[i].id, type, to);
      }
      outs[i] = [];
    }
    return b.build();
  }
}

async function readGraphIn(tx: Tx, where: string, page: number): Promise<CompactGraph> {
  const schema = await requireCompleteSchema(tx, where);
  const types = Object.keys(schema.relations);
  const builder = new KeyOrderBuilder(schema);
  const problems = new ProblemList(20);
  // Only nodes with a string ID pass `n.id > $after`, so no row needs its elementId (that names a node without one).
  const query =
    `MATCH (n:${ENTITY_LABEL}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page ` +
    `RETURN n.id AS id, n.type AS type, n.name AS name, n.protected AS protected, n.attributes AS attributes, ` +
    `[(n)-[r${typedPattern(types)}]->(m:${ENTITY_LABEL}) WHERE type(r) IN $types | [type(r), m.id]] AS out`;
  let seen = 0;
  const ask = (from: string) => {
    const pending = tx.run(query, { after: from, page: neo4j.int(page), types });
    pending.catch(() => {}); // awaited below; a failure must not surface as unhandled while a page is processed
    return pending;
  };
  let next = ask('');
  for (;;) {
    const res = await next;
    // The next page is asked for before this one is processed: the server reads it while the client builds.
    const full = res.records.length === page;
    if (full) next = ask(res.records[res.records.length - 1].get('id') as string);
    for (const r of res.records) {
      const rec = toNodeRecord(
        { id: r.get('id'), type: r.get('type'), name: r.get('name'), protected: r.get('protected'), attributes: r.get('attributes') },
        problems,
        where,
      );
      if (!rec) continue;
      builder.add(rec, r.get('out') as [string, unknown][]);
    }
    seen += res.records.length;
    if (!full) break;
  }
  // Nodes whose id is not a string are invisible to the keyset above: count them.
  const total = (await tx.run(`MATCH (n:${ENTITY_LABEL}) RETURN count(n) AS c`)).records[0].get('c') as number;
  if (total > seen) {
    problems.add({ file: where, field: 'id', message: `${total - seen} :${ENTITY_LABEL} node(s) have no string "id"` });
  }
  problems.throwIfAny();
  return builder.build();
}
