// Writing a graph into Neo4j: one node per entity (label BlastguardEntity plus a label for its type, unique `id`),
// one relationship per relation (of the relation's type), the schema on a :BlastguardSchema node. Batched
// `UNWIND $rows … MERGE` in one transaction per batch, so a load that is cut off and run again converges to the same
// graph with nothing duplicated. Every node and relationship written is stamped with the load's ID, so what the
// database holds beyond this load can be counted (and, with `prune`, removed) before the load is marked complete.
import { randomUUID } from 'node:crypto';
import type { Session } from 'neo4j-driver';
import type { GraphIndex } from '../compact.js';
import type { Neo4jConnection } from './connect.js';
import { createEntities, createRelations, CREATE_BATCH_SIZE, CREATE_IN_FLIGHT, holdsNoGraph } from './fast-write.js';
import { checkWritableNames, ENTITY_LABEL, quoted, RESERVED_LABELS, SCHEMA_LABEL } from './names.js';
import { mergeSchemas, readStoredSchema, schemaJsonText, SCHEMA_KEY } from './schema.js';

export interface WriteProgress {
  entities: number;
  relations: number;
  totalEntities: number;
  totalRelations: number;
}

export interface WriteOptions {
  /** Rows per transaction (default 2000 when merging, 5000 when creating into an empty database). */
  batchSize?: number;
  /** Write transactions in flight at once on the create path (default 2). */
  inFlight?: number;
  /**
   * `auto` (default): into a database that holds no blastguard graph, create (the fast path, fast-write.ts);
   * otherwise merge. `merge`: always merge (idempotent, slower).
   */
  mode?: 'auto' | 'merge';
  /** Called after each committed batch. */
  onProgress?: (p: WriteProgress) => void;
  /** Named in error messages (the snapshot file). */
  source?: string;
  /**
   * Make the database hold exactly this graph: remove the entities and relations earlier loads wrote that are not in
   * this one, and replace the stored schema instead of merging into it. Without it, they are kept and counted.
   */
  prune?: boolean;
}

export interface WriteStats {
  entities: number;
  relations: number;
  batches: number;
  seconds: number;
  /** Entities and relations in the database that are not in this load: kept, or removed when `pruned`. */
  stale: { entities: number; relations: number };
  pruned: boolean;
  /** `create` when the database held no graph and the fast path wrote it, `merge` otherwise. */
  path: 'create' | 'merge';
}

/** The property every node and relationship a load writes carries: the ID of the last load that wrote it. */
export const LOAD_PROPERTY = 'blastguardLoad';

/** The constraints and indexes blastguard creates (IF NOT EXISTS: a second load leaves them as they are). */
export const CONSTRAINTS = [
  `CREATE CONSTRAINT blastguard_entity_id IF NOT EXISTS FOR (n:${ENTITY_LABEL}) REQUIRE n.id IS UNIQUE`,
  `CREATE CONSTRAINT blastguard_schema_key IF NOT EXISTS FOR (s:${SCHEMA_LABEL}) REQUIRE s.key IS UNIQUE`,
  // A manifest's selectors pick entities by type.
  `CREATE INDEX blastguard_entity_type IF NOT EXISTS FOR (n:${ENTITY_LABEL}) ON (n.type)`,
];

interface EntityRow {
  id: string;
  name: string | null;
  protected: true | null;
  attributes: string | null;
}

/** Writes (merges) `g` into the database. Every name placed in Cypher text is checked before the first write. */
export async function writeGraph(conn: Neo4jConnection, g: GraphIndex, options: WriteOptions = {}): Promise<WriteStats> {
  const started = performance.now();
  checkWritableNames(g, options.source);
  const progress: WriteProgress = { entities: 0, relations: 0, totalEntities: g.size, totalRelations: g.relationCount };
  let batches = 0;
  const loadId = randomUUID();
  const prune = options.prune === true;
  const session = conn.session('WRITE');
  let stale: { entities: number; relations: number } = { entities: 0, relations: 0 };
  let path: WriteStats['path'] = 'merge';
  try {
    for (const c of CONSTRAINTS) await session.run(c);
    // Checked before the schema node is written: a load that was cut off leaves that node, so its re-run merges.
    if (options.mode !== 'merge' && (await holdsNoGraph(session))) path = 'create';

    // The schema first, marked as loading: a reader refuses the graph until the marker is cleared at the end.
    // Relation types any load declared: relationships of these types between entities are blastguard's own.
    let ownRelationTypes: string[] = [];
    await session.executeWrite(async (tx) => {
      const where = options.source ?? conn.where;
      const stored = await readStoredSchema(tx, where);
      const next = prune ? mergeSchemas(null, g.schema, g.typeNames, where) : mergeSchemas(stored?.schema ?? null, g.schema, g.typeNames, where);
      ownRelationTypes = [...new Set([...Object.keys(stored?.schema.relations ?? {}), ...Object.keys(next.relations)])];
      await tx.run(`MERGE (s:${SCHEMA_LABEL} {key: $key}) SET s.json = $json, s.loading = $loadId, s.loadingSince = datetime()`, {
        key: SCHEMA_KEY,
        json: schemaJsonText(next),
        loadId,
      });
    });

    if (path === 'create') {
      const o = {
        batchSize: Math.max(1, options.batchSize ?? CREATE_BATCH_SIZE),
        inFlight: Math.max(1, options.inFlight ?? CREATE_IN_FLIGHT),
        onBatch: (kind: 'entities' | 'relations', rows: number) => {
          progress[kind] += rows;
          options.onProgress?.({ ...progress });
        },
      };
      const entities = await createEntities(conn, g, o);
      batches += entities.batches;
      const [, relationBatches] = await createRelations(conn, g, entities.nodeIds, o);
      batches += relationBatches;
      // Nothing was there before, so nothing is stale: no count over the whole graph.
    } else {
      batches += await mergeGraph(session, g, loadId, Math.max(1, options.batchSize ?? 2000), progress, options.onProgress);
      // What the database holds beyond this load: entities, and relationships of a type some load declared.
      stale = await countStale(session, loadId, ownRelationTypes);
      if (prune && (stale.entities || stale.relations)) await removeStale(session, loadId, ownRelationTypes);
    }

    await session.executeWrite((tx) =>
      tx.run(`MATCH (s:${SCHEMA_LABEL} {key: $key}) WHERE s.loading = $loadId REMOVE s.loading, s.loadingSince SET s.loadedAt = datetime()`, {
        key: SCHEMA_KEY,
        loadId,
      }),
    );
  } finally {
    await session.close();
  }
  return { entities: progress.entities, relations: progress.relations, batches, seconds: (performance.now() - started) / 1000, stale, pruned: prune, path };
}

/** The idempotent path: batched MERGE of every entity and relation; returns the number of transactions. */
async function mergeGraph(
  session: Session,
  g: GraphIndex,
  loadId: string,
  batchSize: number,
  progress: WriteProgress,
  onProgress: WriteOptions['onProgress'],
): Promise<number> {
  let batches = 0;
  {
    // Entities, grouped by type (the type's label is part of the query text). An entity whose type changed loses the
    // label of its old type, named by value (`$(…)`), so whatever the old type was it never becomes Cypher text.
    const entityQuery = g.typeNames.map(
      (t) =>
        `UNWIND $rows AS row MERGE (n:${ENTITY_LABEL} {id: row.id}) WITH n, row, n.type AS old ` +
        `SET n:${quoted(t)}, n.type = $type, n.name = row.name, n.protected = row.protected, n.attributes = row.attributes, n.${LOAD_PROPERTY} = $loadId ` +
        `WITH n, old WHERE old IS NOT NULL AND old <> $type AND NOT old IN $reserved REMOVE n:$(old)`,
    );
    const entityRows: EntityRow[][] = g.typeNames.map(() => []);
    const flushEntities = async (code: number) => {
      const rows = entityRows[code];
      if (!rows.length) return;
      entityRows[code] = [];
      await session.executeWrite((tx) => tx.run(entityQuery[code], { rows, type: g.typeNames[code], loadId, reserved: RESERVED_LABELS }));
      batches++;
      progress.entities += rows.length;
      onProgress?.({ ...progress });
    };
    for (let i = 0; i < g.size; i++) {
      const code = g.typeCodes[i];
      const attrs = g.attributesOf(i);
      entityRows[code].push({
        id: g.idOf(i),
        name: g.nameOf(i) ?? null,
        protected: g.isProtected(i) ? true : null,
        attributes: attrs && Object.keys(attrs).length ? JSON.stringify(attrs) : null,
      });
      if (entityRows[code].length >= batchSize) await flushEntities(code);
    }
    for (let code = 0; code < entityRows.length; code++) await flushEntities(code);

    // Relations, grouped by relation type.
    const relationQuery = g.relationTypeNames.map(
      (t) =>
        `UNWIND $rows AS row MATCH (a:${ENTITY_LABEL} {id: row[0]}) MATCH (b:${ENTITY_LABEL} {id: row[1]}) ` +
        `MERGE (a)-[r:${quoted(t)}]->(b) SET r.${LOAD_PROPERTY} = $loadId`,
    );
    const relationRows: [string, string][][] = g.relationTypeNames.map(() => []);
    const flushRelations = async (code: number) => {
      const rows = relationRows[code];
      if (!rows.length) return;
      relationRows[code] = [];
      await session.executeWrite((tx) => tx.run(relationQuery[code], { rows, loadId }));
      batches++;
      progress.relations += rows.length;
      onProgress?.({ ...progress });
    };
    const { offsets, nodes, types } = g.outgoing;
    for (let i = 0; i < g.size; i++) {
      const from = g.idOf(i);
      for (let e = offsets[i]; e < offsets[i + 1]; e++) {
        const code = types[e];
        relationRows[code].push([from, g.idOf(nodes[e])]);
        if (relationRows[code].length >= batchSize) await flushRelations(code);
      }
    }
    for (let code = 0; code < relationRows.length; code++) await flushRelations(code);
  }
  return batches;
}

const STALE_NODE = `n.${LOAD_PROPERTY} IS NULL OR n.${LOAD_PROPERTY} <> $loadId`;
const STALE_REL = `type(r) IN $types AND (r.${LOAD_PROPERTY} IS NULL OR r.${LOAD_PROPERTY} <> $loadId)`;

async function countStale(session: Session, loadId: string, types: string[]): Promise<{ entities: number; relations: number }> {
  const res = await session.executeRead((tx) =>
    tx.run(
      `CALL { MATCH (n:${ENTITY_LABEL}) WHERE ${STALE_NODE} RETURN count(n) AS entities } ` +
        `CALL { MATCH (:${ENTITY_LABEL})-[r]->(:${ENTITY_LABEL}) WHERE ${STALE_REL} RETURN count(r) AS relations } ` +
        `RETURN entities, relations`,
      { loadId, types },
    ),
  );
  const row = res.records[0];
  return { entities: Number(row.get('entities')), relations: Number(row.get('relations')) };
}

/**
 * Removes what earlier loads wrote and this one did not: relationships first, then entities with whatever is still
 * attached to them. In batches of their own transactions (auto-commit), so a graph of any size can be pruned; a
 * prune cut off half-way is finished by the next load, since the schema stays marked as loading until then.
 */
async function removeStale(session: Session, loadId: string, types: string[]): Promise<void> {
  await session.run(`MATCH (:${ENTITY_LABEL})-[r]->(:${ENTITY_LABEL}) WHERE ${STALE_REL} CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS`, {
    loadId,
    types,
  });
  await session.run(`MATCH (n:${ENTITY_LABEL}) WHERE ${STALE_NODE} CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, { loadId });
}
