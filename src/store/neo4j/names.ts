// Names that go into Cypher text. Values always travel as query parameters; only labels and relationship types
// cannot (not in every Neo4j 5 server), so those are checked against a strict pattern first and then backquoted.
import { InputError, ProblemList } from '../../model/errors.js';
import type { Schema } from '../../model/types.js';
import type { GraphIndex } from '../compact.js';

/** The label every blastguard entity node carries (besides the label of its type). */
export const ENTITY_LABEL = 'BlastguardEntity';
/** The label of the one node that holds the schema (onDelete semantics, boundary) as JSON. */
export const SCHEMA_LABEL = 'BlastguardSchema';
/** Labels blastguard itself uses: an entity type may not be one of them. */
export const RESERVED_LABELS: readonly string[] = [ENTITY_LABEL, SCHEMA_LABEL];

/**
 * Letters, digits and `_`, starting with a letter or `_`; `-` is allowed after the first character because entity
 * types such as `app-install` are common. The name is always written backquoted, so `-` is safe; backquotes, spaces,
 * quotes, brackets and everything else are refused. At most 200 characters.
 */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,199}$/;

export function isCypherName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** The backquoted form of a name that passed `isCypherName` (throws otherwise: callers validate first). */
export function quoted(name: string): string {
  if (!isCypherName(name)) throw new Error(`not a safe Cypher name: ${JSON.stringify(name)}`);
  return '`' + name + '`';
}

const RULE = 'use letters, digits, "_" and "-", starting with a letter or "_" (at most 200 characters)';

/**
 * Checks every entity type and relation type that writing `g` would put into Cypher text (and every type the schema
 * declares), before anything is written. Throws one InputError listing each bad name.
 */
export function checkWritableNames(g: GraphIndex, source: string | undefined): void {
  const problems = new ProblemList(20);
  const schema: Schema = g.schema;
  const bad = (field: string, message: string) => problems.add({ file: source, field, message });
  for (const t of Object.keys(schema.relations)) {
    if (!isCypherName(t)) bad(`schema.relations[${JSON.stringify(t)}]`, `relation type ${JSON.stringify(t)} cannot be a Neo4j relationship type: ${RULE}`);
  }
  const types = new Set<string>([...g.typeNames, ...Object.keys(schema.types ?? {})]);
  if (schema.boundary) types.add(schema.boundary);
  for (const t of types) {
    if (!isCypherName(t)) bad('type', `entity type ${JSON.stringify(t)} cannot be a Neo4j label: ${RULE}`);
    else if (RESERVED_LABELS.includes(t)) bad('type', `entity type "${t}" is a label blastguard uses itself in Neo4j; rename the type`);
  }
  problems.throwIfAny();
}

/** A URI with any user:password@ part removed, for messages. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z0-9+.-]+:\/\/)[^@/]*@/i, '$1');
}

const SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'];

/** True for the URIs that name a Neo4j server (bolt://, neo4j:// and their +s / +ssc variants). */
export function isNeo4jUri(s: string): boolean {
  const m = /^([a-z0-9+.-]+):\/\//i.exec(s);
  return m !== null && SCHEMES.includes(m[1].toLowerCase());
}

export function assertNeo4jUri(s: string, option: string): void {
  if (!isNeo4jUri(s)) throw new InputError({ field: option, message: `"${redactUri(s)}" is not a Neo4j URI (bolt://HOST:PORT or neo4j://HOST:PORT)` });
}
