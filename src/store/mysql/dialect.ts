// MySQL/MariaDB's SQL for the read plan (src/store/relational/dialect.ts): backtick identifiers, every value cast to
// its text in SQL (so the driver never makes a JavaScript number of it), binary values as lowercase hex. The session
// sets NO_BACKSLASH_ESCAPES, so a string literal needs only its quotes doubled.
import type { Column, Table } from '../postgres/catalog.js';
import type { SqlDialect } from '../relational/dialect.js';

const BINARY = /^(binary|varbinary|tinyblob|blob|mediumblob|longblob)$/;

export function quoteMysqlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function quoteMysqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function text(expr: string, c?: Column): string {
  const t = c?.dataType ?? '';
  if (BINARY.test(t)) return `LOWER(HEX(${expr}))`;
  if (t === 'bit') return `CAST(${expr} + 0 AS CHAR)`;
  return `CAST(${expr} AS CHAR)`;
}

export const mysqlDialect: SqlDialect = {
  name: 'MySQL',
  account: 'user',
  otherSchemaHint: 'only tables of the connected database are read',
  quoteIdent: quoteMysqlIdent,
  qualified: (t: Table) => `${quoteMysqlIdent(t.schema)}.${quoteMysqlIdent(t.name)}`,
  quoteLiteral: quoteMysqlLiteral,
  text,
  flag: (condition) => `IF(${condition}, 't', 'f')`,
  // Cast to text: the driver would parse a JSON-typed value itself.
  json: (expr) => `CAST(JSON_EXTRACT(JSON_ARRAY(${expr}), '$[0]') AS CHAR)`,
  countText: 'CAST(COUNT(*) AS CHAR)',
  // BOOLEAN is TINYINT(1) in MySQL.
  isBoolean: (c) => /^(tinyint\(1\)|bit\(1\)|boolean)/i.test(c.type),
  isExact: (c) => c.dataType === 'bigint' || c.dataType === 'decimal',
  isArray: () => false,
  // Byte equality only: the same column type, and a binary collation (or none) on both sides.
  sameType: (a, b) => a.type === b.type && a.collation === b.collation && (a.collation == null || /_bin$/.test(a.collation)),
  stream: (select) => select,
  immediateNote: 'InnoDB checks it immediately, row by row, while it cascades: conservative',
};
