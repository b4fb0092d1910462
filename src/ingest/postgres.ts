// A PostgreSQL database as a graph source: the overlay file is read and validated first (a typo costs no
// connection), then the database is read in one snapshot (src/store/postgres/read.ts).
import type { Progress } from './readers/open.js';
import { databaseReadStats } from './sink.js';
import type { IngestResult } from './ingest.js';
import { loadOverlayFile } from './overlay.js';
import { connectPostgres, withPostgres } from '../store/postgres/connect.js';
import { readPostgres } from '../store/postgres/read.js';

export interface PostgresLoadOptions {
  /** The overlay file (YAML or JSON). */
  overlay?: string;
  progress?: Progress;
  /** One line per warning; default stderr. */
  warn?: (line: string) => void;
  /** Connection and login timeout (default 5 s). */
  connectTimeoutMs?: number;
}

export async function loadGraphFromPostgres(uri: string, options: PostgresLoadOptions = {}): Promise<IngestResult> {
  const overlay = options.overlay !== undefined ? loadOverlayFile(options.overlay) : undefined;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.progress) options.progress.unit = 'rows';
  const started = performance.now();
  const target = { uri, connectTimeoutMs: options.connectTimeoutMs, warn };
  // A second connection (same snapshot) lets the server produce the next table while this one is parsed.
  const { graph, rows, bytes } = await withPostgres(target, 'reading the graph', (conn) =>
    readPostgres(conn, { overlay, progress: options.progress, warn, connectMore: () => connectPostgres(target) }),
  );
  return { graph, stats: databaseReadStats(graph, rows, bytes, started) };
}
