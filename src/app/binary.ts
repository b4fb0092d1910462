// The binary graph file (.bgraph) for the commands that write one: `ingest … --out graph.bgraph` and
// `generate --out graph.bgraph`. The bytes come from the store (src/store/binary/write.ts); the fingerprint recorded
// in the header is the engine's, computed here.
import { fingerprint } from '../engine/fingerprint.js';
import { tenantBatches, TENANT_SCHEMA, isRelation, type TenantOptions } from '../generate/tenant.js';
import { normalizeSchema } from '../model/schema.js';
import { GraphBuilder, type CompactGraph } from '../store/compact.js';
import { isBinaryGraphName } from '../store/binary/format.js';
import { binaryGraphBuffers } from '../store/binary/write.js';

export { isBinaryGraphName };

/** The file's bytes, as buffers in order (views of the graph's arrays). */
export function binaryGraphFile(graph: CompactGraph): Uint8Array[] {
  return binaryGraphBuffers(graph, fingerprint(graph));
}

/**
 * The generated tenant as a graph in memory: entities, then relations, as `generate` writes its snapshot, so that
 * this is the very graph (same entity order) that ingesting that snapshot gives.
 */
export function generatedGraph(options: TenantOptions): CompactGraph {
  const builder = new GraphBuilder(normalizeSchema(TENANT_SCHEMA));
  for (const batch of tenantBatches(options, 'entities')) for (const r of batch) if (!isRelation(r)) builder.addEntity(r);
  for (const batch of tenantBatches(options, 'relations')) for (const r of batch) if (isRelation(r)) builder.addRelation(r.from, r.type, r.to);
  return builder.build();
}
