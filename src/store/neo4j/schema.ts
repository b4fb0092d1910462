// The schema kept in the database: one (:BlastguardSchema {key: 'schema'}) node whose `json` property holds the
// schema (onDelete of every relation type, the boundary type), so a Neo4j graph describes itself. While a load is
// running the node carries `loading` (the load's ID): readers refuse a graph that is half loaded.
import type { ManagedTransaction, Transaction } from 'neo4j-driver';
import { InputError } from '../../model/errors.js';
import { describeAjvError, pathToField, validator } from '../../model/json-schemas.js';
import type { Schema } from '../../model/types.js';
import { normalizeSchema } from '../../model/schema.js';
import { SCHEMA_LABEL } from './names.js';

type Tx = ManagedTransaction | Transaction;

export const SCHEMA_KEY = 'schema';

export interface StoredSchema {
  schema: Schema;
  /** Set while a load is running (or after one was interrupted). */
  loading: string | null;
  loadingSince: string | null;
}

/** Parses and validates the JSON of the schema node. */
export function parseStoredSchema(json: unknown, where: string): Schema {
  const field = `(:${SCHEMA_LABEL}).json`;
  if (typeof json !== 'string') throw new InputError({ file: where, field, message: 'the schema node has no JSON text in its "json" property' });
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new InputError({ file: where, field, message: `the schema is not valid JSON: ${(err as Error).message}` });
  }
  const validate = validator('snapshot.schema.json');
  if (!validate({ schema: data, entities: [], relations: [] })) {
    const err = validate.errors![0];
    const { path, message } = describeAjvError(err);
    throw new InputError({ file: where, field: `${field} ${pathToField(path)}`, message });
  }
  return normalizeSchema(data as Schema);
}

/** The stored schema, or null when the database holds none. */
export async function readStoredSchema(tx: Tx, where: string): Promise<StoredSchema | null> {
  const res = await tx.run(`MATCH (s:${SCHEMA_LABEL}) RETURN s.key AS key, s.json AS json, s.loading AS loading, toString(s.loadingSince) AS since`);
  if (res.records.length === 0) return null;
  if (res.records.length > 1) throw new InputError({ file: where, message: `the database holds ${res.records.length} :${SCHEMA_LABEL} nodes; expected one` });
  const r = res.records[0];
  return { schema: parseStoredSchema(r.get('json'), where), loading: r.get('loading') ?? null, loadingSince: r.get('since') ?? null };
}

/** Reads the schema a plan or a read needs: fails (exit 2) when there is none or a load has not finished. */
export async function requireCompleteSchema(tx: Tx, where: string): Promise<Schema> {
  const stored = await readStoredSchema(tx, where);
  if (!stored) {
    throw new InputError({
      file: where,
      message: `no blastguard graph in this database (no :${SCHEMA_LABEL} node); load one with "blastguard ingest --graph FILE --to neo4j --neo4j-uri URI"`,
    });
  }
  if (stored.loading) {
    throw new InputError({
      file: where,
      message:
        `the graph in this database is incomplete: a load started ${stored.loadingSince ?? ''} did not finish; run the same load again (it is idempotent)`.replace(
          '  ',
          ' ',
        ),
    });
  }
  return stored.schema;
}

/**
 * The schema after adding `next` to what the database already declares: relation types and entity types are
 * merged; a relation type whose onDelete differs, or a different boundary type, is an input error (changing the
 * meaning of relations already stored is not something a load should do silently).
 */
export function mergeSchemas(current: Schema | null, next: Schema, usedTypes: readonly string[], where: string): Schema {
  if (!current) return normalizeSchema(next);
  const problems: string[] = [];
  if (current.boundary !== next.boundary) problems.push(`the boundary type is "${current.boundary}" in the database but "${next.boundary}" here`);
  const relations: Schema['relations'] = Object.create(null);
  for (const [t, spec] of Object.entries(current.relations)) relations[t] = spec;
  for (const [t, spec] of Object.entries(next.relations)) {
    const old = relations[t];
    if (old && old.onDelete !== spec.onDelete) problems.push(`relation type "${t}" is ${old.onDelete} in the database but ${spec.onDelete} here`);
    relations[t] = { ...old, ...spec };
  }
  if (problems.length) {
    throw new InputError(
      problems.map((message) => ({ file: where, message: `${message}; the database keeps its schema (delete the :${SCHEMA_LABEL} node to start over)` })),
    );
  }
  const merged: Schema = { boundary: current.boundary, relations };
  if (current.types || next.types) {
    const types: NonNullable<Schema['types']> = Object.create(null);
    for (const src of [current.types, next.types]) for (const [t, spec] of Object.entries(src ?? {})) types[t] = { ...types[t], ...spec };
    for (const t of usedTypes) types[t] ??= {};
    merged.types = types;
  }
  return merged;
}

/** Plain-object JSON of a schema (the normalized one has null-prototype maps, which JSON handles the same way). */
export function schemaJsonText(schema: Schema): string {
  const out: Record<string, unknown> = { boundary: schema.boundary, relations: { ...schema.relations } };
  if (schema.types) out.types = { ...schema.types };
  return JSON.stringify(out);
}
