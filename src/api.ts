// The library surface: load a graph, plan a deletion, check a manifest. `import { loadGraph, plan, check } from 'blastguard'`.
import { plan as planOn, type PlanOptions } from './engine/plan.js';
import type { PlanResult } from './engine/result.js';
import { loadSnapshotFile } from './ingest/snapshot.js';
import { loadManifestFile } from './ingest/manifest.js';
import type { Manifest } from './model/types.js';
import type { CompactGraph, GraphIndex } from './store/compact.js';

export type * from './model/types.js';
export type * from './engine/result.js';
export type { GraphIndex, CompactGraph } from './store/compact.js';
export type { PlanOptions } from './engine/plan.js';
export { InputError, UsageError } from './model/errors.js';
export { GraphBuilder } from './store/compact.js';
export { buildSnapshot } from './ingest/snapshot.js';
export { RULES, chainFromResult } from './engine/result.js';
export { toGraphology } from './store/graphology.js';
export { audit, gate, AUDIT_RULES, type AuditResult, type AuditFinding, type AuditRule, type AuditOptions } from './engine/audit.js';
export { diff, growthGate, type DiffResult } from './engine/diff.js';

/** Loads a snapshot file (.json or .json.gz) into the compact store. */
export async function loadGraph(source: string): Promise<CompactGraph> {
  return loadSnapshotFile(source);
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

