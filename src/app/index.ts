// The application layer: what the CLI commands and the library (src/api.ts) call. Its use cases open their inputs,
// call the engine and return results: open a graph source and choose a backend (./graph.ts, the table of sources
// ./sources.ts), plan and check on a Backend (./backend.ts), approve and sign plans (./approve.ts), read a manifest
// and its rehearsal (./manifest.ts), audit and diff (./audit.ts), verify a deletion (./verify.ts), generate a
// tenant (./generate.ts), write Neo4j and bulk-import files. src/cli/ imports only this layer, the reporters and the
// model (.dependency-cruiser.cjs, `cli-through-app`).
export { backendOn, openGraph } from './graph.js';
export {
  BACKENDS,
  FILE_FORMATS,
  GRAPH_SOURCES,
  graphSourceKind,
  graphSourceOf,
  graphSourcesHelp,
  backendsHelp,
  pushDownSource,
  type BackendName,
  type GraphFileFormat,
  type GraphSource,
  type GraphSourceEntry,
  type GraphSourceKind,
  type OpenGraphOptions,
  type PushDown,
  type PushDownName,
  type SourceOption,
} from './sources.js';
export { readGraphFromNeo4j } from './neo4j.js';
export { memoryBackend, neo4jBackend, postgresBackend, type Backend, type Planned } from './backend.js';
export {
  approvePlan,
  keyId,
  parseWaveSpec,
  readPrivateKeyFile,
  type ApprovePlanOptions,
  type ApprovedPlan,
  type PlanRequest,
  type WaveCount,
} from './approve.js';
export { loadManifestFile, manifestRehearsal, manifestRequest, type LoadedManifest, type RehearsalRef } from './manifest.js';
export { auditGraph, diffGraphs, AUDIT_RULES, type AuditGraphOptions, type AuditResult, type AuditRule, type DiffResult, type GraphInput } from './audit.js';
export { verifyDeletion, type VerifyFiles, type VerifyResult, type VerifyScope } from './verify.js';
export { generatedGraph, tenantFile, tenantFileFormat, type TenantFileFormat } from './generate.js';
export { binaryGraphFile, isBinaryGraphName } from './binary.js';
export { writeNeo4jImportFiles, type ImportStats } from './neo4j-import.js';
export {
  writeGraphToNeo4j,
  neo4jWriteBookmarks,
  assertNeo4jUri,
  redactUri,
  type Neo4jTarget,
  type WriteOptions,
  type WriteStats,
  type WriteProgress,
} from './neo4j.js';
export { checkMappingAgainst, type CheckAgainstOptions } from './check-against.js';
export {
  loadMappingFile,
  CAP_ENV,
  DEFAULT_MAX_INPUT_MIB,
  setMaxInputMiB,
  newProgress,
  snapshotChunks,
  type IngestResult,
  type IngestStats,
  type Progress,
  type SnapshotFormat,
} from './inputs.js';
export type { PlanOptions } from '../engine/plan.js';
export type { ManifestCheck, ManifestCheckOptions, RehearsalInput } from '../engine/check.js';
export type { PlanResult } from '../engine/result.js';
