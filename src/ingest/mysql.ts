// A MySQL/MariaDB database as a graph source: the overlay file is read and validated first (a typo costs no
// connection), then the database is read in one consistent snapshot (src/store/mysql/read.ts).
import type { Progress } from './readers/open.js';
import { databaseReadStats } from './sink.js';
import type { IngestResult } from './ingest.js';
import { loadOverlayFile } from './overlay.js';
import { withMysql } from '../store/mysql/connect.js';
import { readMysql } from '../store/mysql/read.js';

export interface MysqlLoadOptions {
  overlay?: string;
  progress?: Progress;
  warn?: (line: string) => void;
  connectTimeoutMs?: number;
}

export async function loadGraphFromMysql(uri: string, options: MysqlLoadOptions = {}): Promise<IngestResult> {
  const overlay = options.overlay !== undefined ? loadOverlayFile(options.overlay) : undefined;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.progress) options.progress.unit = 'rows';
  const started = performance.now();
  const { graph, rows } = await withMysql({ uri, connectTimeoutMs: options.connectTimeoutMs, warn }, 'reading the graph', (c) =>
    readMysql(c, { overlay, progress: options.progress, warn }),
  );
  return { graph, stats: databaseReadStats(graph, rows, options.progress?.bytes ?? 0, started) };
}
