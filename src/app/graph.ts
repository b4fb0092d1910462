// openGraph: the one place that turns a graph source (a file, a mapping, a Neo4j, PostgreSQL or MySQL URI) into a graph
// in memory. The CLI (--graph/--mapping) and the library (loadGraph) both come through here; the database drivers
// are loaded only when their URI is given, so commands on files do not pay for them.
import { ingest, type IngestResult } from '../ingest/ingest.js';
import { loadGraphFile } from '../ingest/load.js';
import { isBinaryGraphFile, loadBinaryGraphFile } from '../ingest/load-binary.js';
import { newProgress, type Progress } from '../ingest/readers/open.js';
import { countByType, type IngestStats } from '../ingest/sink.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import { isNeo4jUri } from '../store/neo4j/names.js';
import { isPostgresUri } from '../store/postgres/uri.js';
import { isMysqlUri } from '../store/mysql/uri.js';

/** A graph file or URI (`--graph`), or raw exports read through a mapping file (`--mapping`). */
export type GraphSource = string | { mapping: string };

export type GraphSourceKind = 'file' | 'mapping' | 'neo4j' | 'postgres' | 'mysql';

export function graphSourceKind(source: GraphSource): GraphSourceKind {
  if (typeof source !== 'string') return 'mapping';
  if (isPostgresUri(source)) return 'postgres';
  if (isMysqlUri(source)) return 'mysql';
  if (isNeo4jUri(source)) return 'neo4j';
  return 'file';
}

export interface OpenGraphOptions {
  /** For files and mappings: drop references to missing entities (counted) instead of failing. */
  allowDangling?: boolean;
  /** For a PostgreSQL or MySQL URI: the overlay file (docs/databases.md). */
  overlay?: string;
  /** For a Neo4j URI: how to connect (the URI itself is the source). */
  neo4j?: Omit<Neo4jTarget, 'uri'>;
  /**
   * Called with the load's counters when a load starts that reports progress (files, mappings, PostgreSQL);
   * returns the function that ends the display. Reading Neo4j reports none.
   */
  watch?: (progress: Progress) => () => void;
  /** Where warnings go (PostgreSQL: what the overlay could not judge); none by default. */
  warn?: (line: string) => void;
}

/** The graph a source names, read into memory, with counts and timing. */
export async function openGraph(source: GraphSource, options: OpenGraphOptions = {}): Promise<IngestResult> {
  const kind = graphSourceKind(source);
  if (kind === 'neo4j') return readGraphFromNeo4j({ ...options.neo4j, uri: source as string });
  const progress = newProgress();
  const stop = options.watch?.(progress);
  try {
    if (kind === 'postgres') {
      // Loaded on demand: commands on files do not pay for the driver.
      const { loadGraphFromPostgres } = await import('../ingest/postgres.js');
      return await loadGraphFromPostgres(source as string, { overlay: options.overlay, progress, warn: options.warn });
    }
    if (kind === 'mysql') {
      const { loadGraphFromMysql } = await import('../ingest/mysql.js');
      return await loadGraphFromMysql(source as string, { overlay: options.overlay, progress, warn: options.warn });
    }
    // A binary graph file (.bgraph), by its name or its magic number: a few large reads, no parsing.
    if (typeof source === 'string' && isBinaryGraphFile(source)) return await loadBinaryGraphFile(source, { progress });
    return typeof source === 'string'
      ? await loadGraphFile(source, { allowDangling: options.allowDangling, progress })
      : await ingest(source.mapping, { allowDangling: options.allowDangling, progress });
  } finally {
    stop?.();
  }
}

/** The blastguard graph kept in Neo4j, read into memory (in canonical order: entities by ID). */
export async function readGraphFromNeo4j(target: Neo4jTarget): Promise<IngestResult> {
  const [{ withNeo4j }, { readGraph }] = await Promise.all([import('../store/neo4j/connect.js'), import('../store/neo4j/read.js')]);
  const started = performance.now();
  const graph = await withNeo4j(target, 'reading the graph', (conn) => readGraph(conn));
  const stats: IngestStats = {
    files: 0,
    records: graph.size,
    bytes: 0,
    entities: graph.size,
    relations: graph.relationCount,
    ...countByType(graph),
    droppedDangling: Object.create(null) as Record<string, number>,
    seconds: (performance.now() - started) / 1000,
  };
  return { graph, stats };
}
