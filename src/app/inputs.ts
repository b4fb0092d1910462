// What the commands share about reading and writing graphs, besides opening them (./graph.ts): a mapping (whose
// export files an output must not replace), the cap on the inputs read whole (set once by the CLI from
// --max-input-mib or its environment variable), a load's progress counters and statistics, and a graph written out
// as snapshot text (JSON or NDJSON).
export { CAP_ENV, DEFAULT_MAX_INPUT_MIB, setMaxInputMiB } from '../ingest/small-input.js';
export { loadMappingFile } from '../ingest/mapping.js';
export { newProgress, type Progress } from '../ingest/readers/open.js';
export type { IngestResult } from '../ingest/ingest.js';
export type { IngestStats } from '../ingest/sink.js';
export { snapshotChunks, type SnapshotFormat } from '../store/serialize.js';
