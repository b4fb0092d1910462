// Reading a MySQL/MariaDB database into the in-memory engine: one consistent-snapshot read-only transaction
// (START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY; InnoDB gives every statement of it the same snapshot),
// the catalog from information_schema, each table streamed row by row (never a whole table in memory) into the
// GraphBuilder through the same model as PostgreSQL.
import type { Connection as CoreConnection } from 'mysql2';
import { InputError, ProblemList } from '../../model/errors.js';
import type { CompactGraph } from '../compact.js';
import { entityTypeOf, planRead, type ReadPlan } from '../postgres/model.js';
import type { Table } from '../postgres/catalog.js';
import type { LoadedOverlay } from '../postgres/overlay-types.js';
import type { ReadProgress } from '../postgres/read.js';
import { RowGraph, type Field } from '../relational/rows.js';
import { readMysqlCatalog } from './catalog.js';
import type { MysqlConnection } from './connect.js';
import { mysqlDialect } from './dialect.js';

export interface MysqlReadOptions {
  overlay?: LoadedOverlay;
  progress?: ReadProgress;
  warn?: (line: string) => void;
}

/** The deepest cascade nesting InnoDB carries out: a delete or SET NULL at the 15th level fails the statement (error 193). */
export const INNODB_MAX_CASCADE_DEPTH = 14;

/**
 * Session settings that make a value's text the same whatever the server's defaults (row IDs are built from it):
 * UTF-8 with byte comparison, UTC, and no backslash escapes in string literals.
 */
const SETTINGS = [
  'SET NAMES utf8mb4 COLLATE utf8mb4_bin',
  "SET time_zone = '+00:00'",
  "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY'",
  'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ',
  'SET SESSION net_write_timeout = 600',
];

export async function readMysql(c: MysqlConnection, options: MysqlReadOptions = {}): Promise<{ graph: CompactGraph; rows: number }> {
  const warn = options.warn ?? (() => {});
  for (const s of SETTINGS) await c.conn.query(s);
  await c.conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    await assertWholeDatabase(c);
    const catalog = await readMysqlCatalog(c.conn, c.database);
    for (const t of catalog.tables) t.canSelect = await canSelect(c, t);
    const plan = planRead(catalog, options.overlay, c.user, c.where, mysqlDialect);
    plan.schema.maxCascadeDepth = INNODB_MAX_CASCADE_DEPTH;
    await checkClasses(c, plan);
    for (const w of await noKeyWarnings(c, plan)) warn(w);
    for (const w of plan.warnings) warn(w);
    const graph = await readRows(c, plan, options.progress, warn);
    await c.conn.query('COMMIT');
    return graph;
  } catch (err) {
    if (c.alive()) await c.conn.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/**
 * MySQL hides from information_schema every table the user has no privilege on: without SELECT on the whole
 * database, blastguard could not know it saw every table (a hidden table's cascades would be missing from plans).
 */
async function assertWholeDatabase(c: MysqlConnection): Promise<void> {
  const [rows] = await c.conn.query(
    `SELECT 1 FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SELECT'
     UNION ALL SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES
       WHERE PRIVILEGE_TYPE = 'SELECT' AND (TABLE_SCHEMA = DATABASE() OR DATABASE() LIKE TABLE_SCHEMA) LIMIT 1`,
  );
  if ((rows as unknown[]).length === 0) {
    throw new InputError({
      file: c.where,
      message: `user "${c.user}" has no SELECT on database ${mysqlDialect.quoteIdent(c.database)} as a whole: MySQL hides the tables a user has no privilege on, so blastguard could not know it read every table (GRANT SELECT ON ${mysqlDialect.quoteIdent(c.database)}.* TO the user)`,
    });
  }
}

async function canSelect(c: MysqlConnection, t: Table): Promise<boolean> {
  try {
    await c.conn.query(`SELECT 1 FROM ${mysqlDialect.qualified(t)} LIMIT 0`);
    return true;
  } catch (err) {
    const errno = (err as { errno?: number }).errno;
    if (errno === 1142 || errno === 1143) return false;
    throw err;
  }
}

async function checkClasses(c: MysqlConnection, plan: ReadPlan): Promise<void> {
  const problems = new ProblemList(20);
  for (const check of plan.classChecks) {
    const [rows] = await c.conn.query(check.sql);
    for (const r of rows as { value: string; count: string }[]) problems.add(check.problem(String(r.value), String(r.count)));
  }
  problems.throwIfAny();
}

async function noKeyWarnings(c: MysqlConnection, plan: ReadPlan): Promise<string[]> {
  const noKey = plan.unread.filter((t) => !t.pk);
  if (!noKey.length) return [];
  const parts: string[] = [];
  for (const t of noKey) {
    let rows = 'rows unknown: no SELECT privilege';
    if (t.canSelect) {
      const [r] = await c.conn.query(`SELECT CAST(COUNT(*) AS CHAR) AS n FROM ${mysqlDialect.qualified(t)}`);
      const n = String((r as { n: string }[])[0].n);
      rows = `${Number(n).toLocaleString('en-US')} row${n === '1' ? '' : 's'}`;
    }
    parts.push(`${entityTypeOf(t)} (${rows})`);
  }
  return [
    `warning: ${noKey.length} table${noKey.length === 1 ? '' : 's'} without a primary key ${noKey.length === 1 ? 'is' : 'are'} not read: ${parts.join(', ')}`,
  ];
}

/** Streams the rows of one SELECT (arrays of text or null), with backpressure. */
async function stream(c: MysqlConnection, sql: string, onRow: (row: Field[]) => void): Promise<void> {
  const core = (c.conn as unknown as { connection: CoreConnection }).connection;
  const rows = core.query({ sql, rowsAsArray: true }).stream({ highWaterMark: 1000 });
  // A connection that dies under the query (killed, the server gone) is reported on the connection, not always on
  // the query's stream: end the stream with it, or the loop below would wait for rows that never come.
  const lost = (err?: Error) =>
    rows.destroy(err ?? Object.assign(new Error('Connection lost: the server closed the connection'), { code: 'PROTOCOL_CONNECTION_LOST' }));
  const ended = () => lost();
  const events = core as unknown as NodeJS.EventEmitter;
  events.once('error', lost);
  events.once('end', ended);
  try {
    for await (const row of rows as AsyncIterable<unknown[]>) {
      onRow(row.map((v) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v))));
    }
  } finally {
    events.off('error', lost);
    events.off('end', ended);
  }
}

async function readRows(c: MysqlConnection, plan: ReadPlan, progress: ReadProgress | undefined, warn: (line: string) => void) {
  const sink = new RowGraph(plan, c.where, 'MySQL');
  if (progress) {
    const total = plan.tables.reduce((a, t) => a + t.table.estimate, 0);
    if (total > 0) progress.totalRecords = total;
    progress.unit = 'rows';
  }
  for (const t of plan.tables) {
    try {
      await stream(c, t.sql, (row) => {
        sink.row(t, row);
        if (progress) progress.records++;
      });
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      if (errno === 1142 || errno === 1143)
        throw new InputError({ file: c.where, message: `user "${c.user}" may not read table ${entityTypeOf(t.table)}: ${(err as Error).message}` });
      throw err;
    }
  }
  return { graph: sink.finish(warn), rows: sink.rows };
}
