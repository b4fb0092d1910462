// What PostgreSQL's catalog says about the tables blastguard reads: columns, primary keys and foreign keys, from
// pg_catalog (inside the reading transaction, so the catalog and the rows are one snapshot).
import type pg from 'pg';

export interface Column {
  num: number;
  name: string;
  /** format_type(): `bigint`, `numeric(10,2)`, `text[]`… */
  type: string;
  typeOid: number;
  typmod: number;
  notNull: boolean;
  /** The column default as SQL text, or null. */
  defaultExpr: string | null;
  /** `A` for an array type (pg_type.typcategory). */
  category: string;
  /** False for a column with a nondeterministic collation (equality is then not byte equality). */
  deterministic: boolean;
  /** MySQL: information_schema's DATA_TYPE (`bigint`, `varchar`…) and the collation (null for non-text columns). */
  dataType?: string;
  collation?: string | null;
}

export interface Table {
  oid: number;
  schema: string;
  name: string;
  /** MySQL: a table of the connected database (its entity type is its bare name, as for `public` in PostgreSQL). */
  home?: boolean;
  /** Estimated rows (pg_class.reltuples; 0 when never analysed). */
  estimate: number;
  columns: Column[];
  byNum: Map<number, Column>;
  byName: Map<string, Column>;
  /** Primary-key column numbers in key order, or null. */
  pk: number[] | null;
  /** The role may read it (table or some column privilege). */
  canSelect: boolean;
  /** Columns with a unique index (not partial) on that column alone. */
  unique: Set<number>;
}

export interface ForeignKey {
  oid: number;
  name: string;
  table: number;
  target: number;
  cols: number[];
  targetCols: number[];
  /** pg_constraint.confdeltype: a no action, r restrict, c cascade, n set null, d set default. */
  action: 'a' | 'r' | 'c' | 'n' | 'd';
  deferrable: boolean;
  deferred: boolean;
  /** The columns SET NULL / SET DEFAULT changes (PostgreSQL 15's column list), or null for all of `cols`. */
  setCols: number[] | null;
  validated: boolean;
  /** pg_get_constraintdef(): `FOREIGN KEY (a) REFERENCES t(id) ON DELETE CASCADE`. */
  definition: string;
}

export interface Catalog {
  tables: Table[];
  byOid: Map<number, Table>;
  foreignKeys: ForeignKey[];
  serverVersion: number;
}

/** Tables and partitioned tables (not their partitions: reading the parent reads every partition's rows). */
const TABLES = `
SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, GREATEST(c.reltuples, 0)::float8 AS estimate,
       (has_table_privilege(c.oid, 'SELECT') OR has_any_column_privilege(c.oid, 'SELECT')) AS can_select
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
ORDER BY n.nspname, c.relname`;

const COLUMNS = `
SELECT a.attrelid::int8 AS rel, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.atttypid::int8 AS type_oid, a.atttypmod AS typmod, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr, t.typcategory AS category,
       COALESCE(co.collisdeterministic, true) AS deterministic
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const UNIQUE = `
SELECT i.indrelid::int8 AS rel, i.indkey[0] AS num
FROM pg_index i
WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND i.indnkeyatts = 1 AND i.indkey[0] > 0 AND i.indpred IS NULL`;

function constraintsQuery(version: number): string {
  // confdelsetcols (ON DELETE SET NULL (col, …)) exists from PostgreSQL 15 on.
  const setCols = version >= 150000 ? 'con.confdelsetcols' : 'NULL::int2[]';
  return `
SELECT con.oid::int8 AS oid, con.conname AS name, con.contype AS kind, con.conrelid::int8 AS rel,
       con.confrelid::int8 AS target, con.conkey AS cols, con.confkey AS target_cols, con.confdeltype AS action,
       con.condeferrable AS deferrable, con.condeferred AS deferred, ${setCols} AS set_cols,
       con.convalidated AS validated, pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
WHERE con.contype IN ('p', 'f') AND con.conparentid = 0 AND con.conrelid = ANY($1::oid[])
ORDER BY con.conrelid, con.conname`;
}

type Row = Record<string, unknown>;

export async function readCatalog(client: pg.Client): Promise<Catalog> {
  const version = Number((await client.query<Row>('SHOW server_version_num')).rows[0].server_version_num);
  const tables: Table[] = (await client.query<Row>(TABLES)).rows.map((r) => ({
    oid: Number(r.oid),
    schema: String(r.schema),
    name: String(r.name),
    estimate: Number(r.estimate),
    columns: [],
    byNum: new Map(),
    byName: new Map(),
    pk: null,
    canSelect: r.can_select === true,
    unique: new Set<number>(),
  }));
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const oids = tables.map((t) => t.oid);
  for (const r of (await client.query<Row>(COLUMNS, [oids])).rows) {
    const t = byOid.get(Number(r.rel));
    if (!t) continue;
    const col: Column = {
      num: Number(r.num),
      name: String(r.name),
      type: String(r.type),
      typeOid: Number(r.type_oid),
      typmod: Number(r.typmod),
      notNull: r.not_null === true,
      defaultExpr: r.default_expr === null ? null : String(r.default_expr),
      category: String(r.category),
      deterministic: r.deterministic !== false,
    };
    t.columns.push(col);
    t.byNum.set(col.num, col);
    t.byName.set(col.name, col);
  }
  for (const r of (await client.query<Row>(UNIQUE, [oids])).rows) byOid.get(Number(r.rel))?.unique.add(Number(r.num));
  const foreignKeys: ForeignKey[] = [];
  for (const r of (await client.query<Row>(constraintsQuery(version), [oids])).rows) {
    const t = byOid.get(Number(r.rel));
    if (!t) continue;
    const cols = (r.cols as number[]).map(Number);
    if (r.kind === 'p') {
      t.pk = cols;
      continue;
    }
    foreignKeys.push({
      oid: Number(r.oid),
      name: String(r.name),
      table: t.oid,
      target: Number(r.target),
      cols,
      targetCols: (r.target_cols as number[]).map(Number),
      action: String(r.action) as ForeignKey['action'],
      deferrable: r.deferrable === true,
      deferred: r.deferred === true,
      setCols: Array.isArray(r.set_cols) && r.set_cols.length ? (r.set_cols as number[]).map(Number) : null,
      validated: r.validated !== false,
      definition: String(r.definition),
    });
  }
  return { tables, byOid, foreignKeys, serverVersion: version };
}

/** `"schema"."table"`: every identifier double-quoted, quotes inside doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(t: Table): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

/** A string literal (standard_conforming_strings is set on in the reading transaction). */
export function quoteLiteral(s: string): string {
  if (s.includes('\u0000')) throw new Error('a NUL cannot be in a PostgreSQL string');
  return `'${s.replace(/'/g, "''")}'`;
}
