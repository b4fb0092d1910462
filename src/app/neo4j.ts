// Neo4j as a store (the driver is loaded on first use): write a graph into it, read it back. The push-down plan is
// the `neo4j` Backend (./backend.ts).
import type { IngestResult } from '../ingest/ingest.js';
import { databaseReadStats } from '../ingest/sink.js';
import type { GraphIndex } from '../model/graph.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import type { WriteOptions, WriteStats } from '../store/neo4j/write.js';

export type { Neo4jTarget, WriteOptions, WriteStats };
export type { WriteProgress } from '../store/neo4j/write.js';
export { assertNeo4jUri, redactUri } from '../store/neo4j/names.js';

/**
 * The bookmarks of the writes this process made to `target` (after a load): another process that passes them as
 * `bookmarks` reads, on a cluster, only from a member that has those writes.
 */
export async function neo4jWriteBookmarks(target: Neo4jTarget): Promise<string[]> {
  return (await import('../store/neo4j/connect.js')).neo4jBookmarks(target);
}

/** Writes (merges) a graph into Neo4j: idempotent, so a load that was cut off converges when run again. */
export async function writeGraphToNeo4j(target: Neo4jTarget, graph: GraphIndex, options: WriteOptions = {}): Promise<WriteStats> {
  const [{ withNeo4j }, { writeGraph }] = await Promise.all([import('../store/neo4j/connect.js'), import('../store/neo4j/write.js')]);
  return withNeo4j(target, 'loading the graph', (conn) => writeGraph(conn, graph, options));
}

/** The blastguard graph kept in Neo4j, read into memory (in canonical order: entities by ID). */
export async function readGraphFromNeo4j(target: Neo4jTarget): Promise<IngestResult> {
  const [{ withNeo4j }, { readGraph }] = await Promise.all([import('../store/neo4j/connect.js'), import('../store/neo4j/read.js')]);
  const started = performance.now();
  const graph = await withNeo4j(target, 'reading the graph', (conn) => readGraph(conn));
  return { graph, stats: databaseReadStats(graph, graph.size, 0, started) };
}
