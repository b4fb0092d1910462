// A graph as snapshot text, in pieces (so a graph of any size is written without building one huge string):
// snapshot JSON (one entity or relation per line, like samples/tenant.json) or the native NDJSON snapshot.
import type { Schema } from '../model/types.js';
import type { CompactGraph } from './compact.js';

/** The schema laid out like samples/tenant.json: one relation type (or entity type) per line. */
function schemaJson(schema: Schema): string {
  const block = (o: Record<string, unknown>) => {
    const keys = Object.keys(o);
    if (!keys.length) return '{}';
    return `{\n${keys.map((k) => `      ${JSON.stringify(k)}: ${JSON.stringify(o[k])}`).join(',\n')}\n    }`;
  };
  let s = `{\n    "boundary": ${JSON.stringify(schema.boundary)},\n    "relations": ${block(schema.relations)}`;
  if (schema.maxCascadeDepth !== undefined) s += `,\n    "maxCascadeDepth": ${schema.maxCascadeDepth}`;
  if (schema.types) s += `,\n    "types": ${block(schema.types)}`;
  return `${s}\n  }`;
}

export type SnapshotFormat = 'json' | 'ndjson';

const BATCH = 1 << 16;

export function* snapshotChunks(graph: CompactGraph, format: SnapshotFormat): Generator<string> {
  const json = format === 'json';
  let buf: string;
  if (json) {
    buf = `{\n  "schema": ${schemaJson(graph.schema)},\n  "entities": [`;
  } else buf = `${JSON.stringify({ schema: graph.schema })}\n`;
  const sep = json ? ',\n    ' : '\n';
  let first = true;
  for (let i = 0; i < graph.size; i++) {
    const line = JSON.stringify(graph.entity(i));
    buf += json ? (first ? '\n    ' : sep) + line : line + '\n';
    first = false;
    if (buf.length > BATCH) {
      yield buf;
      buf = '';
    }
  }
  if (json) buf += `${first ? '' : '\n  '}],\n  "relations": [`;
  first = true;
  for (const r of graph.relations()) {
    const line = `{"from":${JSON.stringify(r.from)},"type":${JSON.stringify(r.type)},"to":${JSON.stringify(r.to)}}`;
    buf += json ? (first ? '\n    ' : sep) + line : line + '\n';
    first = false;
    if (buf.length > BATCH) {
      yield buf;
      buf = '';
    }
  }
  if (json) buf += `${first ? '' : '\n  '}]\n}\n`;
  if (buf) yield buf;
}
