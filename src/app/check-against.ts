// `ingest --mapping M --check-against URI`: reads the mapping's graph (raw exports) and the database's graph (its
// catalog and rows, PostgreSQL or MySQL), and compares them (src/engine/catalog-check.ts).
import { checkAgainstCatalog, type CatalogCheck } from '../engine/catalog-check.js';
import { UsageError } from '../model/errors.js';
import type { Progress } from '../ingest/readers/open.js';
import { redactPostgresUri } from '../store/postgres/uri.js';
import { openGraph } from './graph.js';
import { graphSourceOf } from './sources.js';

export interface CheckAgainstOptions {
  /** The database's overlay (tables to skip); its relations and overrides are compared like the catalog's. */
  overlay?: string;
  watch?: (progress: Progress) => () => void;
  warn?: (line: string) => void;
}

export async function checkMappingAgainst(mapping: string, uri: string, options: CheckAgainstOptions = {}): Promise<{ check: CatalogCheck; where: string }> {
  if (!graphSourceOf(uri).catalog) throw new UsageError('--check-against takes a database URI: postgres://USER@HOST:PORT/DB or mysql://USER@HOST:PORT/DB.');
  const mapped = await openGraph({ mapping }, { watch: options.watch });
  const db = await openGraph(uri, { overlay: options.overlay, watch: options.watch, warn: options.warn });
  return { check: checkAgainstCatalog(mapped.graph, db.graph), where: redactPostgresUri(uri) };
}
