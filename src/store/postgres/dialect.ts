// PostgreSQL's SQL for the read plan (src/store/relational/dialect.ts): COPY … TO STDOUT in text format, `::text`.
import type { SqlDialect } from '../relational/dialect.js';
import { qualified, quoteIdent, quoteLiteral } from './catalog.js';

const EXACT_TYPES = new Set([20, 1700]); // bigint, numeric: never through a JavaScript number
const BOOL = 16;

export const postgresDialect: SqlDialect = {
  name: 'PostgreSQL',
  account: 'role',
  otherSchemaHint: 'outside "public", write schema.table',
  quoteIdent,
  qualified,
  quoteLiteral,
  text: (expr) => `${expr}::text`,
  // COPY prints a boolean as t / f.
  flag: (condition) => `(${condition})`,
  json: (expr) => `to_jsonb(${expr})::text`,
  countText: 'count(*)::text',
  isBoolean: (c) => c.typeOid === BOOL,
  isExact: (c) => EXACT_TYPES.has(c.typeOid),
  isArray: (c) => c.category === 'A',
  sameType: (a, b) => a.typeOid === b.typeOid && a.typmod === b.typmod && a.deterministic && b.deterministic,
  stream: (select) => `COPY (${select}) TO STDOUT`,
  immediateNote: 'checked per row in trigger order: conservative',
};
