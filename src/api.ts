// The library surface: `import { loadGraph, plan, check, verify, guard } from 'blastguard'`.
// A maintenance script calls guard(plan, ids) right before it deletes: it throws PlanMismatchError unless the IDs
// are exactly those of the approved plan.
import type { KeyObject } from 'node:crypto';
import { join, resolve } from 'node:path';
import { approvePlan } from './app/approve.js';
import { neo4jBackend } from './app/backend.js';
import { openGraph } from './app/graph.js';
import { readGraphFromNeo4j } from './app/neo4j.js';
import { manifestRehearsal } from './app/manifest.js';
import { manifestRequest, type ApprovedPlan, type PlanRequest } from './engine/approved.js';
import { checkManifest, type ManifestCheck } from './engine/check.js';
import { rederive } from './engine/derive.js';
import { fingerprint as fingerprintOf } from './engine/fingerprint.js';
import { plan as planOn, type PlanOptions } from './engine/plan.js';
import type { PlanResult } from './engine/result.js';
import { guardIds, verifyIds, type VerifyOptions, type VerifyResult } from './engine/verify.js';
import { keyId as keyIdOf, signPlan } from './engine/signature.js';
import { parseWaveSpec, type WaveCount } from './engine/waves.js';
import { loadApprovedPlanFile, parseApprovedPlan } from './ingest/approved-plan.js';
import { ingest as ingestMapping, type IngestOptions, type IngestResult } from './ingest/ingest.js';
import { readPrivateKeyFile, readPublicKeyFile, toSigningKey, toTrustKey } from './ingest/keys.js';
import type { Mapping } from './ingest/mapping.js';
import { loadManifestFile } from './ingest/manifest.js';
import type { DeletionMode, Manifest } from './model/types.js';
import type { CompactGraph, GraphIndex } from './store/compact.js';

export type * from './model/types.js';
export type * from './engine/result.js';
export type { GraphIndex, CompactGraph } from './store/compact.js';
export type { PlanOptions } from './engine/plan.js';
export type { ApprovedPlan, ApprovedWave, PlanRequest } from './engine/approved.js';
export type { PlanSignature } from './engine/signature.js';
export type { VerifyCheck, VerifyOptions, VerifyReason, VerifyResult, VerifyScope } from './engine/verify.js';
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
// The application layer (src/app/): any graph source read into memory, and the backends plans run on.
// Every source is one entry of GRAPH_SOURCES (src/app/sources.ts); backendOn chooses a backend as --backend does.
export { backendOn, openGraph } from './app/graph.js';
export {
  BACKENDS,
  GRAPH_SOURCES,
  graphSourceKind,
  type BackendName,
  type GraphSource,
  type GraphSourceEntry,
  type GraphSourceKind,
  type OpenGraphOptions,
} from './app/sources.js';
export { memoryBackend, neo4jBackend, type Backend, type Planned } from './app/backend.js';

/**
 * Loads a graph file into the compact store: snapshot JSON or native NDJSON (`.ndjson`; either may be `.gz`), or
 * graphology's serialized JSON with the schema in its `schema` graph attribute. Pass `{ mapping }` to read raw
 * exports through a mapping file instead. A `postgres://USER@HOST:PORT/DB` URI reads that database (the password
 * from PGPASSWORD or ~/.pgpass; `overlay` names the overlay file; see docs/databases.md).
 */
export async function loadGraph(source: string | { mapping: string }, options: { allowDangling?: boolean; overlay?: string } = {}): Promise<CompactGraph> {
  return (await openGraph(source, { allowDangling: options.allowDangling, overlay: options.overlay })).graph;
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
  const rehearsal = manifestRehearsal(m, { manifestFile, line: loaded?.lineOf(['rehearsal']) });
  return checkManifest(graph, m, { rehearsal });
}

/** A key as the library takes it: a KeyObject from node:crypto, or the PEM text. */
export type KeyInput = KeyObject | string | Buffer;

export interface ApproveOptions {
  mode?: DeletionMode;
  /** What the plan was made from (e.g. the manifest path); recorded in the plan. */
  source?: string;
  /** Canary waves: "1,10,100,rest" or [1, 10, 100, 'rest']. */
  waves?: string | WaveCount[];
  /**
   * The manifest `result` was checked from (as given to check()): its selection, intent, limits, mode and
   * rehearsal are recorded so that verify and guard can recompute the plan. For a manifest given as an object,
   * `baseDir` is the folder its rehearsal path is relative to, as for check().
   */
  manifest?: Manifest | string;
  baseDir?: string;
  /** Or the options plan() was called with (intent, limits). */
  planOptions?: PlanOptions;
  /** Sign the plan with this Ed25519 private key (see keygen / `openssl genpkey -algorithm ed25519`). */
  signKey?: KeyInput;
}

/**
 * The approved-plan record of a plan result (what `plan|check --out` writes). Pass the manifest (for a check()
 * result) or the plan options (for a plan() made with options): the plan records them, and approve() throws if
 * `result` is not what they give on `graph`, so that it never writes a plan that verify would refuse as forged.
 */
export function approve(graph: GraphIndex, result: PlanResult, options: ApproveOptions = {}): ApprovedPlan {
  const spec = typeof options.waves === 'string' ? parseWaveSpec(options.waves) : options.waves;
  let request: PlanRequest;
  let mode = options.mode;
  let planOptions = options.planOptions;
  if (options.manifest !== undefined) {
    const m = typeof options.manifest === 'string' ? loadManifestFile(options.manifest).manifest : options.manifest;
    const manifestFile = typeof options.manifest === 'string' ? options.manifest : join(resolve(options.baseDir ?? '.'), 'manifest');
    const rehearsal = manifestRehearsal(m, { manifestFile });
    request = manifestRequest(m, result, rehearsal?.plan?.digest);
    mode ??= m.mode;
    planOptions ??= { intent: m.intent ?? {}, limits: m.limits ?? {} };
  } else {
    request = { roots: 'listed', intent: planOptions?.intent ?? {}, limits: planOptions?.limits ?? {} };
  }
  const approved = approvePlan(graph, result, {
    mode,
    source: options.source,
    request,
    waves: spec,
    planOptions,
  });
  // Never a plan that verify would refuse as forged.
  const { differences } = rederive(graph, approved);
  if (differences.length) {
    throw new Error(
      `approve(): the result is not what ${options.manifest !== undefined ? 'this manifest' : 'these plan options'} give on this graph (${differences.join('; ')}); pass { manifest } for a check() result, or { planOptions } for a plan() made with options`,
    );
  }
  return options.signKey !== undefined ? signPlan(approved, toSigningKey(options.signKey, '(signKey)')) : approved;
}

/** Signs an approved plan with an Ed25519 private key (a KeyObject or PEM text); the signature covers the digest. */
export function sign(approved: ApprovedPlan, privateKey: KeyInput): ApprovedPlan {
  return signPlan(toPlan(approved), toSigningKey(privateKey, '(signKey)'));
}

/** Reads a PEM key file: the Ed25519 private key that signs plans, or a public key that verifies them. */
export function loadKey(file: string, kind: 'private' | 'public'): KeyObject {
  return kind === 'private' ? readPrivateKeyFile(file) : readPublicKeyFile(file);
}

/** A key's name as plans record it: sha256 of its public key (never the key itself). */
export function keyId(key: KeyInput): string {
  if (typeof key === 'string' || Buffer.isBuffer(key)) {
    return keyIdOf(/PRIVATE KEY/.test(typeof key === 'string' ? key : key.toString('latin1')) ? toSigningKey(key, '(key)') : toTrustKey(key, '(key)'));
  }
  return keyIdOf(key);
}

/** Reads and validates an approved-plan file (does not check its digest: verify and guard do). */
export function loadPlan(file: string): ApprovedPlan {
  return loadApprovedPlanFile(file);
}

/** A snapshot's content fingerprint (what an approved plan records, and what makes it stale). */
export function fingerprint(graph: GraphIndex): string {
  return fingerprintOf(graph);
}

export interface GuardOptions extends Omit<VerifyOptions, 'fingerprint' | 'graph' | 'trustKeys'> {
  /**
   * The current snapshot: a plan made on another one is refused as stale, and the plan is recomputed on it and
   * refused as forged unless what it deletes, its verdict and its waves are what its own request gives.
   */
  graph?: GraphIndex;
  /** Or its fingerprint, when the graph is not at hand (then the plan is not recomputed). */
  fingerprint?: string;
  /** Ed25519 public keys (KeyObjects or PEM text): refuse a plan not signed by one of them. */
  trustKeys?: readonly KeyInput[];
}

function toPlan(p: ApprovedPlan | string): ApprovedPlan {
  return typeof p === 'string' ? loadApprovedPlanFile(p) : parseApprovedPlan(p, '(plan object)');
}

function verifyOptions(options: GuardOptions): VerifyOptions {
  const { trustKeys, ...rest } = options;
  if (trustKeys === undefined) return rest;
  if (!Array.isArray(trustKeys)) throw new TypeError('trustKeys must be a list of public keys');
  return { ...rest, trustKeys: trustKeys.map((k, i) => toTrustKey(k, `trustKeys[${i}]`)) };
}

/** Compares the IDs about to be deleted with an approved plan (an object or a file path); never throws on a mismatch. */
export function verify(approved: ApprovedPlan | string, ids: Iterable<string>, options: GuardOptions = {}): VerifyResult {
  return verifyIds(toPlan(approved), ids, verifyOptions(options));
}

/**
 * Call right before deleting: returns quietly when `ids` are exactly the approved plan's targets (or one wave's,
 * or with scope 'deleted' every deleted entity), and throws PlanMismatchError naming what differs otherwise —
 * also when the plan was edited (digest), failed its checks, (with `trustKeys`) is not signed by a trusted key,
 * or (with `graph`) was made on another snapshot or does not follow from its own request on it (forged).
 */
export function guard(approved: ApprovedPlan | string, ids: Iterable<string>, options: GuardOptions = {}): VerifyResult {
  return guardIds(toPlan(approved), ids, verifyOptions(options));
}

// Neo4j (the driver is loaded on first use). The password is an argument here; the CLI reads it from NEO4J_PASSWORD.
export type { Neo4jTarget } from './store/neo4j/connect.js';
export type { WriteOptions, WriteStats, WriteProgress } from './store/neo4j/write.js';
export type { PushDownOptions } from './app/neo4j-push-down.js';

/** Reads the blastguard graph kept in Neo4j into memory (in canonical order: entities by ID). */
export async function loadGraphFromNeo4j(target: import('./store/neo4j/connect.js').Neo4jTarget): Promise<CompactGraph> {
  return (await readGraphFromNeo4j(target)).graph;
}

export { writeGraphToNeo4j } from './app/neo4j.js';

/** What deleting `roots` would take down, computed inside Neo4j (the same result as plan() on the graph read from it). */
export async function planInNeo4j(
  target: import('./store/neo4j/connect.js').Neo4jTarget,
  roots: readonly string[],
  options: import('./app/neo4j-push-down.js').PushDownOptions = {},
): Promise<PlanResult> {
  return (await neo4jBackend(target).plan(roots, options)).value;
}

/**
 * The bookmarks of the writes this process made to `target` (a load): pass them as `bookmarks` of the target in the
 * process that plans next, so that on a cluster its reads wait for the load (docs/neo4j.md, Clusters).
 */
export async function neo4jBookmarks(target: import('./store/neo4j/connect.js').Neo4jTarget): Promise<string[]> {
  return (await import('./store/neo4j/connect.js')).neo4jBookmarks(target);
}
