// The generated tenant as text: the native NDJSON snapshot (a schema line, then one entity or relation per line)
// or a snapshot JSON document. Pure: yields chunks of text, so that a caller can stream millions of records.
import { tenantBatches, TENANT_SCHEMA, type TenantOptions } from './tenant.js';

export type TenantFormat = 'ndjson' | 'json';

/** Chunks are cut at about this many characters. */
const CHUNK = 1 << 20;

/** The format an output file name asks for (`.ndjson`, `.jsonl`, `.json`, each optionally `.gz`), or undefined. */
export function formatOfFile(file: string): { format: TenantFormat; gzip: boolean } | undefined {
  const gzip = file.endsWith('.gz');
  const base = gzip ? file.slice(0, -3) : file;
  if (base.endsWith('.ndjson') || base.endsWith('.jsonl')) return { format: 'ndjson', gzip };
  if (base.endsWith('.json')) return { format: 'json', gzip };
  return undefined;
}

/**
 * Text of the tenant, in chunks. Every entity comes before any relation (the generator runs twice: it is
 * deterministic, so both passes see the same tenant), so a streaming reader can resolve references as it goes.
 */
export function* tenantText(options: TenantOptions, format: TenantFormat): Generator<string> {
  const ndjson = format === 'ndjson';
  let buf = ndjson ? `${JSON.stringify({ schema: TENANT_SCHEMA })}\n` : `{"schema":${JSON.stringify(TENANT_SCHEMA)},\n"entities":[\n`;
  for (const part of ['entities', 'relations'] as const) {
    let first = true;
    for (const batch of tenantBatches(options, part)) {
      for (const r of batch) {
        if (ndjson) buf += `${JSON.stringify(r)}\n`;
        else {
          buf += first ? JSON.stringify(r) : `,\n${JSON.stringify(r)}`;
          first = false;
        }
      }
      if (buf.length >= CHUNK) {
        yield buf;
        buf = '';
      }
    }
    if (!ndjson) buf += part === 'entities' ? '\n],\n"relations":[\n' : '\n]}\n';
  }
  if (buf) yield buf;
}
