// The application layer: what the CLI commands and the library (src/api.ts) call. Its own modules open graphs
// (./graph.ts), run plans on a Backend (./backend.ts), approve and sign plans (./approve.ts) and read a manifest's
// rehearsal (./manifest.ts); below them, the engine's pure computations and the input readers the commands use are
// re-exported here, so that src/cli/ imports only this layer, the reporters and the model (.dependency-cruiser.cjs).
export { openGraph, graphSourceKind, type GraphSource, type GraphSourceKind, type OpenGraphOptions } from './graph.js';
export { BACKENDS, memoryBackend, neo4jBackend, postgresBackend, type Backend, type BackendName, type Planned } from './backend.js';
export { approvePlan, type ApprovePlanOptions } from './approve.js';
export { loadManifestFile, manifestRehearsal, type LoadedManifest, type RehearsalRef } from './manifest.js';
export { writeNeo4jImportFiles, type ImportStats } from './neo4j-import.js';
export { writeGraphToNeo4j, neo4jWriteBookmarks, assertNeo4jUri, redactUri, type Neo4jTarget, type WriteOptions, type WriteStats, type WriteProgress } from './neo4j.js';

// The engine: pure computations on a graph in memory.
export { plan, type PlanOptions } from '../engine/plan.js';
export { checkManifest, type ManifestCheck, type ManifestCheckOptions, type RehearsalInput } from '../engine/check.js';
export type { PlanResult } from '../engine/result.js';
export { manifestRequest, type ApprovedPlan, type PlanRequest } from '../engine/approved.js';
export { audit, gate, AUDIT_RULES, type AuditRule } from '../engine/audit.js';
export { diff, growthGate } from '../engine/diff.js';
export { verifyIds, type VerifyScope } from '../engine/verify.js';
export { keyId } from '../engine/signature.js';
export { parseWaveSpec, type WaveCount } from '../engine/waves.js';

// The inputs a command reads besides the graph, with their caps.
export { loadApprovedPlanFile, parseIdList } from '../ingest/approved-plan.js';
export { readPrivateKeyFile, readPublicKeyFile } from '../ingest/keys.js';
export { readSmallFile, readSmallStdin, CAP_ENV, DEFAULT_MAX_INPUT_MIB, setMaxInputMiB } from '../ingest/small-input.js';
export { loadBaselineFile } from '../ingest/baseline.js';
export { loadMappingFile } from '../ingest/mapping.js';
export { newProgress, type Progress } from '../ingest/readers/open.js';
export type { IngestResult } from '../ingest/ingest.js';
export type { IngestStats } from '../ingest/sink.js';
export { snapshotChunks, type SnapshotFormat } from '../store/serialize.js';
export { checkMappingAgainst, type CheckAgainstOptions } from './check-against.js';
export { binaryGraphFile, generatedGraph, isBinaryGraphName } from './binary.js';
