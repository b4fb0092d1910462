// The bulk-import path: a graph as the CSV files of `neo4j-admin database import full`, with the command that
// imports them (no server, no driver: the files are written locally, in a stream).
import type { GraphIndex } from '../model/graph.js';
import type { ImportOptions, ImportStats } from '../store/neo4j/import-csv.js';

export type { ImportOptions, ImportStats };

/** Writes the import files of `graph` into `dir` and returns the import command (`.command`) and the counts. */
export async function writeNeo4jImportFiles(graph: GraphIndex, dir: string, options: ImportOptions = {}): Promise<ImportStats> {
  const { writeImportFiles } = await import('../store/neo4j/import-csv.js');
  return writeImportFiles(graph, dir, options);
}
