// What differs between the SQL databases blastguard reads (PostgreSQL, MySQL/MariaDB) when the read plan is written
// (src/store/postgres/model.ts): quoting, how a value becomes its exact text, flags, and the statement that streams
// rows. Everything else in the model (which tables are entity types, row IDs, onDelete of a key, the overlay) is the
// same for both.
import type { Column, Table } from '../postgres/catalog.js';

export interface SqlDialect {
  /** The database's name in messages: `PostgreSQL`, `MySQL`. */
  readonly name: string;
  /** Who logs in, in messages: `role` (PostgreSQL), `user` (MySQL). */
  readonly account: string;
  /** How a table outside the default schema is named, for messages. */
  readonly otherSchemaHint: string;
  quoteIdent(name: string): string;
  qualified(t: Table): string;
  quoteLiteral(s: string): string;
  /** The exact text of `expr` (a key part, a name): never through a floating-point number. */
  text(expr: string, c?: Column): string;
  /** `t` or `f` for a condition. */
  flag(condition: string): string;
  /** The JSON text of a value (attributes). */
  json(expr: string, c: Column): string;
  /** `count(*)` as text. */
  readonly countText: string;
  isBoolean(c: Column): boolean;
  /** Values kept as exact text in attributes (big integers, decimals), not JSON. */
  isExact(c: Column): boolean;
  isArray(c: Column): boolean;
  /** Equality of the two columns' values is the same as equality of their texts (so a key can be taken as is). */
  sameType(a: Column, b: Column): boolean;
  /** The statement that streams the rows of a SELECT. */
  stream(select: string): string;
  /** What the database says about a RESTRICT / immediate NO ACTION key: why protect is the conservative answer. */
  readonly immediateNote: string;
}
