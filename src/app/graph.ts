// openGraph: the one place that turns a graph source (a file, a mapping, a Neo4j, PostgreSQL or MySQL URI) into a graph
// in memory, and backendOn, the one place a backend is chosen for one. Both read the table of graph sources
// (./sources.ts); the CLI (--graph/--mapping, --backend) and the library (loadGraph, openGraph) both come through here.
import type { IngestResult } from '../ingest/ingest.js';
import { newProgress } from '../ingest/readers/open.js';
import { UsageError } from '../model/errors.js';
import type { GraphIndex } from '../model/graph.js';
import { memoryBackend, type Backend } from './backend.js';
import { graphSourceOf, pushDownSource, type BackendName, type GraphSource, type OpenGraphOptions } from './sources.js';

/** The graph a source names, read into memory, with counts and timing. */
export async function openGraph(source: GraphSource, options: OpenGraphOptions = {}): Promise<IngestResult> {
  const entry = graphSourceOf(source);
  if (!entry.progress) return entry.open(source, options, undefined);
  const progress = newProgress();
  const stop = options.watch?.(progress);
  try {
    return await entry.open(source, options, progress);
  } finally {
    stop?.();
  }
}

/**
 * The backend `name` on `source`: the engine in memory on the graph the source names (read on first use, by `load`
 * when given, else by openGraph), or the push-down of the source's database, which must be that backend's.
 */
export function backendOn(name: BackendName, source: GraphSource, options: OpenGraphOptions = {}, load?: () => Promise<GraphIndex>): Backend {
  if (name === 'memory') return memoryBackend(load ?? (async () => (await openGraph(source, options)).graph));
  const entry = pushDownSource(name);
  if (graphSourceOf(source) !== entry) throw new UsageError(`the ${name} backend needs a ${entry.title} URI: ${entry.pushDown.needs}`);
  return entry.pushDown.backend(source as string, options);
}
