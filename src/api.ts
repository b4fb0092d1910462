// The library surface: load a graph, plan a deletion, check a manifest. `import { loadGraph, plan, check } from 'blastguard'`.
import { plan as planOn, type PlanOptions } from './engine/plan.js';
import type { PlanResult } from './engine/result.js';
import { ingest as ingestMapping, type IngestOptions, type IngestResult } from './ingest/ingest.js';
import { loadGraphFile } from './ingest/load.js';
import type { Mapping } from './ingest/mapping.js';
import { loadManifestFile } from './ingest/manifest.js';
import type { Manifest } from './model/types.js';
import type { CompactGraph, GraphIndex } from './store/compact.js';

export type * from './model/types.js';
export type * from './engine/result.js';
export type { GraphIndex, CompactGraph } from './store/compact.js';
export type { PlanOptions } from './engine/plan.js';
export { InputError, UsageError } from './model/errors.js';
export { GraphBuilder } from './store/compact.js';
export { buildSnapshot, loadSnapshotFile } from './ingest/snapshot.js';
export { loadMappingFile } from './ingest/mapping.js';
export type { Mapping, SourceSpec } from './ingest/mapping.js';
export type { IngestOptions, IngestResult } from './ingest/ingest.js';
export type { IngestStats } from './ingest/sink.js';
export type { Progress } from './ingest/readers/open.js';
export { snapshotChunks } from './store/serialize.js';
export { RULES, chainFromResult } from './engine/result.js';
export { toGraphology } from './store/graphology.js';
export { reverseReach, type Reach } from './engine/reach.js';
export { audit, gate, AUDIT_RULES, type AuditResult, type AuditFinding, type AuditRule, type AuditOptions } from './engine/audit.js';
export { diff, growthGate, type DiffResult } from './engine/diff.js';

/**
 * Loads a graph file into the compact store: snapshot JSON or native NDJSON (`.ndjson`; either may be `.gz`), or
 * graphology's serialized JSON with the schema in its `schema` graph attribute. Pass `{ mapping }` to read raw
 * exports through a mapping file instead.
 */
export async function loadGraph(source: string | { mapping: string }, options: { allowDangling?: boolean } = {}): Promise<CompactGraph> {
  if (typeof source === 'string') return (await loadGraphFile(source, options)).graph;
  return (await ingestMapping(source.mapping, options)).graph;
}

/** Reads raw exports through a mapping (a file path or a parsed Mapping) into a graph, with counts and timing. */
export async function ingest(mapping: string | Mapping, options: IngestOptions = {}): Promise<IngestResult> {
  return ingestMapping(mapping, options);
}

/** What deleting `roots` would take down. */
export function plan(graph: GraphIndex, roots: readonly string[], options: PlanOptions = {}): PlanResult {
  return planOn(graph, roots, options);
}

/** Checks a manifest (an object, or the path of a YAML/JSON file) against the graph. */
export function check(graph: GraphIndex, manifest: Manifest | string): PlanResult {
  const m = typeof manifest === 'string' ? loadManifestFile(manifest).manifest : manifest;
  return planOn(graph, m.targets, { intent: m.intent ?? {}, limits: m.limits ?? {} });
}

