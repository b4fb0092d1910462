// What MySQL/MariaDB's information_schema says about the connected database's tables: columns, primary keys,
// single-column unique indexes and foreign keys, in the same shape as PostgreSQL's catalog (src/store/postgres/
// catalog.ts), so one model (src/store/postgres/model.ts) serves both.
import type mysql from 'mysql2/promise';
import type { Catalog, Column, ForeignKey, Table } from '../postgres/catalog.js';

type Row = Record<string, unknown>;

const ACTIONS: Record<string, ForeignKey['action']> = { CASCADE: 'c', 'SET NULL': 'n', 'SET DEFAULT': 'd', RESTRICT: 'r', 'NO ACTION': 'a' };

async function rows(conn: mysql.Connection, sql: string, params: unknown[]): Promise<Row[]> {
  const [r] = await conn.query({ sql, values: params });
  return r as Row[];
}

const str = (v: unknown) => (v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

export async function readMysqlCatalog(conn: mysql.Connection, database: string): Promise<Catalog> {
  const tables: Table[] = (
    await rows(
      conn,
      `SELECT TABLE_NAME AS name, COALESCE(TABLE_ROWS, 0) AS estimate FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
      [database],
    )
  ).map((r, i) => ({
    oid: i + 1,
    schema: database,
    home: true,
    name: str(r.name),
    estimate: Number(r.estimate),
    columns: [],
    byNum: new Map(),
    byName: new Map(),
    pk: null,
    canSelect: true,
    unique: new Set<number>(),
  }));
  const byName = new Map(tables.map((t) => [t.name, t]));
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  for (const r of await rows(
    conn,
    `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS num, DATA_TYPE AS data_type, COLUMN_TYPE AS type,
            IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLLATION_NAME AS collation
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  )) {
    const t = byName.get(str(r.tbl));
    if (!t) continue;
    const col: Column = {
      num: Number(r.num),
      name: str(r.name),
      type: str(r.type),
      typeOid: 0,
      typmod: 0,
      notNull: str(r.nullable) === 'NO',
      defaultExpr: r.dflt === null || r.dflt === undefined ? null : str(r.dflt),
      category: '',
      deterministic: true,
      dataType: str(r.data_type).toLowerCase(),
      collation: r.collation === null || r.collation === undefined ? null : str(r.collation),
    };
    t.columns.push(col);
    t.byNum.set(col.num, col);
    t.byName.set(col.name, col);
  }
  const colNum = (t: Table, name: string) => t.byName.get(name)?.num ?? -1;
  for (const r of await rows(
    conn,
    `SELECT TABLE_NAME AS tbl, INDEX_NAME AS idx, COLUMN_NAME AS col, SEQ_IN_INDEX AS seq, SUB_PART AS sub
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  ).then(groupIndexes)) {
    const t = byName.get(r.table);
    if (!t) continue;
    const nums = r.cols.map((c) => colNum(t, c));
    if (r.name === 'PRIMARY') t.pk = nums;
    if (nums.length === 1 && !r.prefix) t.unique.add(nums[0]);
  }
  const fkRows = await rows(
    conn,
    `SELECT rc.CONSTRAINT_NAME AS name, rc.TABLE_NAME AS tbl, rc.REFERENCED_TABLE_NAME AS target, rc.DELETE_RULE AS rule,
            k.REFERENCED_TABLE_SCHEMA AS target_schema, k.COLUMN_NAME AS col, k.REFERENCED_COLUMN_NAME AS target_col
     FROM information_schema.REFERENTIAL_CONSTRAINTS rc
     JOIN information_schema.KEY_COLUMN_USAGE k
       ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME
     WHERE rc.CONSTRAINT_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
     ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [database],
  );
  const foreignKeys: ForeignKey[] = [];
  let current: (ForeignKey & { colNames: string[]; targetNames: string[]; tbl: string }) | undefined;
  const flush = () => {
    if (!current) return;
    const { colNames, targetNames, tbl, ...fk } = current;
    const target = byOid.get(fk.target);
    const q = (n: string) => `\`${n.replace(/`/g, '``')}\``;
    fk.definition = `FOREIGN KEY (${colNames.map(q).join(', ')}) REFERENCES ${q(target?.name ?? '?')} (${targetNames.map(q).join(', ')}) ON DELETE ${current.definition}`;
    void tbl;
    foreignKeys.push(fk);
    current = undefined;
  };
  for (const r of fkRows) {
    const t = byName.get(str(r.tbl));
    if (!t) continue;
    if (!current || current.name !== str(r.name) || current.tbl !== t.name) {
      flush();
      const target = str(r.target_schema) === database ? byName.get(str(r.target)) : undefined;
      current = {
        oid: foreignKeys.length + 1,
        name: str(r.name),
        tbl: t.name,
        table: t.oid,
        // A key into another database: no table of this catalog (not followed; planRead warns about lost keys).
        target: target?.oid ?? -1,
        cols: [],
        targetCols: [],
        colNames: [],
        targetNames: [],
        action: ACTIONS[str(r.rule).toUpperCase()] ?? 'a',
        deferrable: false,
        deferred: false,
        setCols: null,
        // Keys are always resolved through a join: with foreign_key_checks=0 a MySQL table can hold values that
        // reference no row, and such a value must be no reference, not a dangling one.
        validated: false,
        definition: str(r.rule).toUpperCase(),
      };
    }
    current.colNames.push(str(r.col));
    current.targetNames.push(str(r.target_col));
    current.cols.push(colNum(t, str(r.col)));
    const target = byOid.get(current.target);
    current.targetCols.push(target ? colNum(target, str(r.target_col)) : -1);
  }
  flush();
  const version = str((await rows(conn, 'SELECT VERSION() AS v', []))[0]?.v);
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return { tables, byOid, foreignKeys, serverVersion: m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0 };
}

interface IndexRow {
  table: string;
  name: string;
  cols: string[];
  prefix: boolean;
}

function groupIndexes(list: Row[]): IndexRow[] {
  const out: IndexRow[] = [];
  for (const r of list) {
    const last = out[out.length - 1];
    if (last && last.table === str(r.tbl) && last.name === str(r.idx)) {
      last.cols.push(str(r.col));
      last.prefix ||= r.sub !== null && r.sub !== undefined;
    } else out.push({ table: str(r.tbl), name: str(r.idx), cols: [str(r.col)], prefix: r.sub !== null && r.sub !== undefined });
  }
  return out;
}
