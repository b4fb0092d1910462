// The library surface: `import { loadGraph, plan, check, verify, guard } from 'blastguard'`.
// A maintenance script calls guard(plan, ids) right before it deletes: it throws PlanMismatchError unless the IDs
// are exactly those of the approved plan.
import { join, resolve } from 'node:path';
import { approve as approveOn, type ApprovedPlan } from './engine/approved.js';
import { checkManifest, type ManifestCheck, type RehearsalInput } from './engine/check.js';
import { fingerprint as fingerprintOf } from './engine/fingerprint.js';
import { plan as planOn, type PlanOptions } from './engine/plan.js';
import type { PlanResult } from './engine/result.js';
import { guardIds, verifyIds, type VerifyOptions, type VerifyResult } from './engine/verify.js';
import { parseWaveSpec, splitWaves, type WaveCount } from './engine/waves.js';
import { loadApprovedPlanFile, parseApprovedPlan, readRehearsal } from './ingest/approved-plan.js';
import { ingest as ingestMapping, type IngestOptions, type IngestResult } from './ingest/ingest.js';
import { loadGraphFile } from './ingest/load.js';
import type { Mapping } from './ingest/mapping.js';
import { loadManifestFile } from './ingest/manifest.js';
import type { DeletionMode, Manifest } from './model/types.js';
import type { CompactGraph, GraphIndex } from './store/compact.js';

export type * from './model/types.js';
export type * from './engine/result.js';
export type { GraphIndex, CompactGraph } from './store/compact.js';
export type { PlanOptions } from './engine/plan.js';
export type { ApprovedPlan, ApprovedWave } from './engine/approved.js';
export type { VerifyOptions, VerifyReason, VerifyResult, VerifyScope } from './engine/verify.js';
export type { Selection } from './engine/select.js';
export type { ManifestCheck, RehearsalInput } from './engine/check.js';
export type { WaveCount } from './engine/waves.js';
export { InputError, UsageError } from './model/errors.js';
export { PlanMismatchError } from './engine/verify.js';
export { GraphBuilder } from './store/compact.js';
export { buildSnapshot, loadSnapshotFile } from './ingest/snapshot.js';
export { loadMappingFile } from './ingest/mapping.js';
export type { Mapping, SourceSpec } from './ingest/mapping.js';
export type { IngestOptions, IngestResult } from './ingest/ingest.js';
export type { IngestStats } from './ingest/sink.js';
export type { Progress } from './ingest/readers/open.js';
export { snapshotChunks } from './store/serialize.js';
export { RULES, chainFromResult } from './engine/result.js';
export { select } from './engine/select.js';
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

export interface CheckOptions {
  /** For a manifest given as an object: the folder its `rehearsal` path is relative to (default: the working directory). */
  baseDir?: string;
}

/** Checks a manifest (an object, or the path of a YAML/JSON file) against the graph, with every manifest rule. */
export function check(graph: GraphIndex, manifest: Manifest | string, options: CheckOptions = {}): PlanResult {
  return checkDetailed(graph, manifest, options).result;
}

/** check(), also returning the resolved roots and what `select` matched. */
export function checkDetailed(graph: GraphIndex, manifest: Manifest | string, options: CheckOptions = {}): ManifestCheck {
  const loaded = typeof manifest === 'string' ? loadManifestFile(manifest) : undefined;
  const m = loaded?.manifest ?? (manifest as Manifest);
  // readRehearsal resolves against the manifest's folder (and keeps it there); an object manifest "lives" in baseDir.
  const manifestFile = typeof manifest === 'string' ? manifest : join(resolve(options.baseDir ?? '.'), 'manifest');
  let rehearsal: RehearsalInput | undefined;
  if (m.mode === 'permanent' && m.rehearsal !== undefined) rehearsal = readRehearsal({ manifestFile, line: loaded?.lineOf(['rehearsal']) }, m.rehearsal);
  return checkManifest(graph, m, { rehearsal });
}

export interface ApproveOptions {
  mode?: DeletionMode;
  /** What the plan was made from (e.g. the manifest path); recorded in the plan. */
  source?: string;
  /** Canary waves: "1,10,100,rest" or [1, 10, 100, 'rest']. */
  waves?: string | WaveCount[];
  /** The options the plan was made with (needed to recompute waves the same way). */
  planOptions?: PlanOptions;
}

/** The approved-plan record of a plan result (what `plan|check --out` writes). */
export function approve(graph: GraphIndex, result: PlanResult, options: ApproveOptions = {}): ApprovedPlan {
  const spec = typeof options.waves === 'string' ? parseWaveSpec(options.waves) : options.waves;
  const waves = spec ? splitWaves(graph, result, spec, options.planOptions) : undefined;
  return approveOn(graph, result, { mode: options.mode, source: options.source, waves });
}

/** Reads and validates an approved-plan file (does not check its digest: verify and guard do). */
export function loadPlan(file: string): ApprovedPlan {
  return loadApprovedPlanFile(file);
}

/** A snapshot's content fingerprint (what an approved plan records, and what makes it stale). */
export function fingerprint(graph: GraphIndex): string {
  return fingerprintOf(graph);
}

export interface GuardOptions extends Omit<VerifyOptions, 'fingerprint'> {
  /** The current snapshot: a plan made on another one is refused as stale. */
  graph?: GraphIndex;
  /** Or its fingerprint, when the graph is not at hand. */
  fingerprint?: string;
}

function toPlan(p: ApprovedPlan | string): ApprovedPlan {
  return typeof p === 'string' ? loadApprovedPlanFile(p) : parseApprovedPlan(p, '(plan object)');
}

function verifyOptions(options: GuardOptions): VerifyOptions {
  const { graph, ...rest } = options;
  return graph ? { ...rest, fingerprint: fingerprintOf(graph) } : rest;
}

/** Compares the IDs about to be deleted with an approved plan (an object or a file path); never throws on a mismatch. */
export function verify(approved: ApprovedPlan | string, ids: Iterable<string>, options: GuardOptions = {}): VerifyResult {
  return verifyIds(toPlan(approved), ids, verifyOptions(options));
}

/**
 * Call right before deleting: returns quietly when `ids` are exactly the approved plan's targets (or one wave's,
 * or with scope 'deleted' every deleted entity), and throws PlanMismatchError naming what differs otherwise —
 * also when the plan was edited (digest), failed its checks, or (with `graph`) was made on another snapshot.
 */
export function guard(approved: ApprovedPlan | string, ids: Iterable<string>, options: GuardOptions = {}): VerifyResult {
  return guardIds(toPlan(approved), ids, verifyOptions(options));
}

// Neo4j (the driver is loaded on first use). The password is an argument here; the CLI reads it from NEO4J_PASSWORD.
export type { Neo4jTarget } from './store/neo4j/connect.js';
export type { WriteOptions, WriteStats, WriteProgress } from './store/neo4j/write.js';
export type { PushDownOptions } from './store/neo4j/plan.js';

/** Reads the blastguard graph kept in Neo4j into memory (in canonical order: entities by ID). */
export async function loadGraphFromNeo4j(target: import('./store/neo4j/connect.js').Neo4jTarget): Promise<CompactGraph> {
  const [{ withNeo4j }, { readGraph }] = await Promise.all([import('./store/neo4j/connect.js'), import('./store/neo4j/read.js')]);
  return withNeo4j(target, 'reading the graph', (conn) => readGraph(conn));
}

/** Writes (merges) a graph into Neo4j: idempotent, so a load that was cut off converges when run again. */
export async function writeGraphToNeo4j(
  target: import('./store/neo4j/connect.js').Neo4jTarget,
  graph: GraphIndex,
  options: import('./store/neo4j/write.js').WriteOptions = {},
): Promise<import('./store/neo4j/write.js').WriteStats> {
  const [{ withNeo4j }, { writeGraph }] = await Promise.all([import('./store/neo4j/connect.js'), import('./store/neo4j/write.js')]);
  return withNeo4j(target, 'loading the graph', (conn) => writeGraph(conn, graph, options));
}

/** What deleting `roots` would take down, computed inside Neo4j (the same result as plan() on the graph read from it). */
export async function planInNeo4j(
  target: import('./store/neo4j/connect.js').Neo4jTarget,
  roots: readonly string[],
  options: import('./store/neo4j/plan.js').PushDownOptions = {},
): Promise<PlanResult> {
  const [{ withNeo4j }, push] = await Promise.all([import('./store/neo4j/connect.js'), import('./store/neo4j/plan.js')]);
  return withNeo4j(target, 'planning', (conn) => push.planInNeo4j(conn, roots, options));
}
