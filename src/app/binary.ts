// The binary graph file (.bgraph) for the commands that write one: `ingest … --out graph.bgraph` and
// `generate --out graph.bgraph` (./generate.ts). The bytes come from the store (src/store/binary/write.ts); the fingerprint recorded
// in the header is the engine's, computed here.
import { fingerprint } from '../engine/fingerprint.js';
import type { CompactGraph } from '../store/compact.js';
import { isBinaryGraphName } from '../store/binary/format.js';
import { binaryGraphBuffers } from '../store/binary/write.js';

export { isBinaryGraphName };

/** The file's bytes, as buffers in order (views of the graph's arrays). */
export function binaryGraphFile(graph: CompactGraph): Uint8Array[] {
  return binaryGraphBuffers(graph, fingerprint(graph));
}
