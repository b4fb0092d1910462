// A snapshot's fingerprint: a sha256 over the graph's content (schema, entities, relations) in a canonical order,
// so the same content gives the same fingerprint whatever order the snapshot file lists it in, and any change to
// an entity, an attribute, a relation or the schema gives another. Pure; computed once per graph and cached.
import { createHash } from 'node:crypto';
import type { GraphIndex } from '../model/graph.js';
import { perGraph } from './toolkit/per-graph.js';

/** True when every object inside `value` already lists its keys in sorted order (then JSON.stringify is canonical). */
function keysSorted(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const v of value) if (!keysSorted(v)) return false;
    return true;
  }
  let prev: string | undefined;
  for (const k in value as Record<string, unknown>) {
    if (!Object.hasOwn(value, k)) return false; // inherited enumerable keys: take the careful path
    if (prev !== undefined && !(prev < k)) return false;
    prev = k;
    if (!keysSorted((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** JSON with object keys sorted at every level (arrays keep their order); `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  // Fast path (the common case: attribute maps written in sorted order, or with one key): native JSON.stringify.
  if (keysSorted(value)) return JSON.stringify(value) ?? 'null';
  return canonicalSlow(value);
}

function canonicalSlow(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalSlow(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalSlow(obj[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** A string as a self-delimiting field: its length, a colon, the string (cheaper than JSON quoting, as unambiguous). */
function field(s: string): string {
  return `${s.length}:${s}`;
}

/** `field` for the streamed fingerprint of a graph in Neo4j (src/app/neo4j-fingerprint.ts), which writes the same text. */
export const fingerprintField = field;

/**
 * The canonical text hashed is, line by line: `S <schema as canonical JSON>`; then for each entity in ID order
 * (UTF-16 code-unit order) `E id type name protected attributes`; then for each entity in the same order its
 * outgoing relations sorted by (type, to) as `R from type to`. Strings are written as `<length>:<string>` (so a
 * tab or newline inside an ID cannot shift fields), fields are tab-separated, attributes are canonical JSON.
 * Duplicate relations stay (a multiset). The text is streamed into the hash in chunks, never held whole.
 * O(n log n + m log d).
 */
export const fingerprint: (g: GraphIndex) => string = perGraph((g) => {
  const hash = createHash('sha256');
  let chunk: string[] = [];
  let size = 0;
  const emit = (line: string) => {
    chunk.push(line);
    size += line.length;
    if (size > 1 << 20) {
      hash.update(chunk.join(''), 'utf8');
      chunk = [];
      size = 0;
    }
  };
  emit(`S\t${canonicalJson(g.schema)}\n`);
  const n = g.size;
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) ids[i] = g.idOf(i);
  ids.sort(); // default sort: UTF-16 code units, native and fast
  const quoted: string[] = new Array(n);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const ix = g.indexOf(ids[k]);
    order[k] = ix;
    quoted[ix] = field(ids[k]);
  }
  const typeQuoted = g.typeNames.map(field);
  const relQuoted = g.relationTypeNames.map(field);
  const typeCodes = g.typeCodes;
  for (let k = 0; k < n; k++) {
    const ix = order[k];
    const name = g.nameOf(ix);
    const attrs = g.attributesOf(ix);
    emit(
      `E\t${quoted[ix]}\t${typeQuoted[typeCodes[ix]]}\t${name === undefined ? '-' : field(name)}\t${g.isProtected(ix) ? 1 : 0}\t${attrs ? canonicalJson(attrs) : '-'}\n`,
    );
  }
  const { offsets, nodes, types } = g.outgoing;
  const rel: string[] = [];
  for (let k = 0; k < n; k++) {
    const ix = order[k];
    const from = offsets[ix];
    const to = offsets[ix + 1];
    if (from === to) continue;
    rel.length = 0;
    for (let e = from; e < to; e++) rel.push(`${relQuoted[types[e]]}\t${quoted[nodes[e]]}`);
    if (rel.length > 1) rel.sort();
    for (const r of rel) emit(`R\t${quoted[ix]}\t${r}\n`);
  }
  if (chunk.length) hash.update(chunk.join(''), 'utf8');
  return `sha256:${hash.digest('hex')}`;
});
