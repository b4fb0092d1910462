// Writing a graph into Neo4j: one node per entity (label BlastguardEntity plus a label for its type, unique `id`),
// one relationship per relation (of the relation's type), the schema on a :BlastguardSchema node. Batched
// `UNWIND $rows … MERGE` in one transaction per batch, so a load that is cut off and run again converges to the same
// graph with nothing duplicated.
import { randomUUID } from 'node:crypto';
import type { GraphIndex } from '../compact.js';
import type { Neo4jConnection } from './connect.js';
import { checkWritableNames, ENTITY_LABEL, quoted, SCHEMA_LABEL } from './names.js';
import { mergeSchemas, readStoredSchema, schemaJsonText, SCHEMA_KEY } from './schema.js';

export interface WriteProgress {
  entities: number;
  relations: number;
  totalEntities: number;
  totalRelations: number;
}

export interface WriteOptions {
  /** Rows per transaction (default 2000). */
  batchSize?: number;
  /** Called after each committed batch. */
  onProgress?: (p: WriteProgress) => void;
  /** Named in error messages (the snapshot file). */
  source?: string;
}

export interface WriteStats {
  entities: number;
  relations: number;
  batches: number;
  seconds: number;
}

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
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const progress: WriteProgress = { entities: 0, relations: 0, totalEntities: g.size, totalRelations: g.relationCount };
  let batches = 0;
  const loadId = randomUUID();
  const session = conn.session('WRITE');
  try {
    for (const c of CONSTRAINTS) await session.run(c);

    // The schema first, marked as loading: a reader refuses the graph until the marker is cleared at the end.
    await session.executeWrite(async (tx) => {
      const stored = await readStoredSchema(tx, options.source ?? conn.where);
      const merged = mergeSchemas(stored?.schema ?? null, g.schema, g.typeNames, options.source ?? conn.where);
      await tx.run(
        `MERGE (s:${SCHEMA_LABEL} {key: $key}) SET s.json = $json, s.loading = $loadId, s.loadingSince = datetime()`,
        { key: SCHEMA_KEY, json: schemaJsonText(merged), loadId },
      );
    });

    // Entities, grouped by type (the type's label is part of the query text).
    const entityQuery = g.typeNames.map(
      (t) =>
        `UNWIND $rows AS row MERGE (n:${ENTITY_LABEL} {id: row.id}) ` +
        `SET n:${quoted(t)}, n.type = $type, n.name = row.name, n.protected = row.protected, n.attributes = row.attributes`,
    );
    const entityRows: EntityRow[][] = g.typeNames.map(() => []);
    const flushEntities = async (code: number) => {
      const rows = entityRows[code];
      if (!rows.length) return;
      entityRows[code] = [];
      await session.executeWrite((tx) => tx.run(entityQuery[code], { rows, type: g.typeNames[code] }));
      batches++;
      progress.entities += rows.length;
      options.onProgress?.({ ...progress });
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
        `MERGE (a)-[:${quoted(t)}]->(b)`,
    );
    const relationRows: [string, string][][] = g.relationTypeNames.map(() => []);
    const flushRelations = async (code: number) => {
      const rows = relationRows[code];
      if (!rows.length) return;
      relationRows[code] = [];
      await session.executeWrite((tx) => tx.run(relationQuery[code], { rows }));
      batches++;
      progress.relations += rows.length;
      options.onProgress?.({ ...progress });
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

    await session.executeWrite((tx) =>
      tx.run(`MATCH (s:${SCHEMA_LABEL} {key: $key}) WHERE s.loading = $loadId REMOVE s.loading, s.loadingSince SET s.loadedAt = datetime()`, {
        key: SCHEMA_KEY,
        loadId,
      }),
    );
  } finally {
    await session.close();
  }
  return { entities: progress.entities, relations: progress.relations, batches, seconds: (performance.now() - started) / 1000 };
}
