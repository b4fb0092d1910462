// `generate` as a use case: the deterministic tenant in the file format its name asks for — snapshot NDJSON or JSON
// (optionally gzipped) as text, or the binary graph file (.bgraph) built from the tenant as a graph in memory.
import { tenantBatches, TENANT_SCHEMA, isRelation, type TenantOptions } from '../generate/tenant.js';
import { formatOfFile, tenantText, type TenantFormat } from '../generate/text.js';
import { normalizeSchema } from '../model/schema.js';
import { isBinaryGraphName } from '../store/binary/format.js';
import { GraphBuilder, type CompactGraph } from '../store/compact.js';
import { binaryGraphFile } from './binary.js';

export type { TenantOptions };

/** The file format a name asks for: the binary graph file, or snapshot text (NDJSON or JSON, gzipped or not). */
export type TenantFileFormat = { binary: true } | { binary: false; format: TenantFormat; gzip: boolean };

/** The format `file`'s name asks for; undefined when it names none that generate writes. */
export function tenantFileFormat(file: string): TenantFileFormat | undefined {
  if (isBinaryGraphName(file)) return { binary: true };
  const kind = formatOfFile(file);
  return kind ? { binary: false, ...kind } : undefined;
}

/** The generated tenant's file: the .bgraph's buffers, or the snapshot's text as it is produced (gzip is the writer's). */
export function tenantFile(format: TenantFileFormat, options: TenantOptions): { buffers: Uint8Array[] } | { text: Iterable<string> } {
  return format.binary ? { buffers: binaryGraphFile(generatedGraph(options)) } : { text: tenantText(options, format.format) };
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
