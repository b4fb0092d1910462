// Reading a graph out of Neo4j into the in-memory engine: the schema from its :BlastguardSchema node, then the
// entity nodes in pages (keyset on the unique `id`, in index order) each with its outgoing relationships.
import neo4j, { type ManagedTransaction, type Transaction } from 'neo4j-driver';
import { ProblemList } from '../../model/errors.js';
import type { CompactGraph } from '../compact.js';
import { CanonicalGraphBuilder, type NodeRecord } from './canonical.js';
import type { Neo4jConnection } from './connect.js';
import { ENTITY_LABEL } from './names.js';
import { requireCompleteSchema } from './schema.js';

type Tx = ManagedTransaction | Transaction;

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

async function readGraphIn(tx: Tx, where: string, page: number): Promise<CompactGraph> {
  const schema = await requireCompleteSchema(tx, where);
  const types = Object.keys(schema.relations);
  const builder = new CanonicalGraphBuilder(schema);
  const problems = new ProblemList(20);
  const query =
    `MATCH (n:${ENTITY_LABEL}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page ` +
    `RETURN n.id AS id, n.type AS type, n.name AS name, n.protected AS protected, n.attributes AS attributes, elementId(n) AS eid, ` +
    `[(n)-[r]->(m:${ENTITY_LABEL}) WHERE type(r) IN $types | [type(r), m.id]] AS out`;
  let after = '';
  let seen = 0;
  for (;;) {
    const res = await tx.run(query, { after, page: neo4j.int(page), types });
    for (const r of res.records) {
      const rec = toNodeRecord(
        { id: r.get('id'), type: r.get('type'), name: r.get('name'), protected: r.get('protected'), attributes: r.get('attributes'), elementId: r.get('eid') },
        problems,
        where,
      );
      if (!rec) continue;
      builder.addNode(rec);
      for (const [type, to] of r.get('out') as [string, unknown][]) if (typeof to === 'string') builder.addRelation(rec.id, type, to);
    }
    seen += res.records.length;
    if (res.records.length < page) break;
    after = res.records[res.records.length - 1].get('id') as string;
  }
  // Nodes whose id is not a string are invisible to the keyset above: count them.
  const total = (await tx.run(`MATCH (n:${ENTITY_LABEL}) RETURN count(n) AS c`)).records[0].get('c') as number;
  if (total > seen) {
    problems.add({ file: where, field: 'id', message: `${total - seen} :${ENTITY_LABEL} node(s) have no string "id"` });
  }
  problems.throwIfAny();
  return builder.build();
}
