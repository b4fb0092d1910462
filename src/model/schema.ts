// The schema as the engine and every store hold it: null-prototype maps, so user-chosen type names are only names.
import type { Schema } from './types.js';

/** A copy of the schema with null-prototype maps, so that a type named `constructor` or `__proto__` is just a name. */
export function normalizeSchema(schema: Partial<Schema>): Schema {
  const relations: Schema['relations'] = Object.create(null);
  for (const [k, v] of Object.entries(schema.relations ?? {})) relations[k] = v;
  const out: Schema = { boundary: schema.boundary ?? 'site', relations };
  if (schema.types) {
    const types: NonNullable<Schema['types']> = Object.create(null);
    for (const [k, v] of Object.entries(schema.types)) types[k] = v;
    out.types = types;
  }
  if (schema.maxCascadeDepth !== undefined) out.maxCascadeDepth = schema.maxCascadeDepth;
  return out;
}
