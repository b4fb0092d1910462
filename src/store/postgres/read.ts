// Reading a PostgreSQL database into the in-memory engine: one REPEATABLE READ READ ONLY transaction (the catalog
// and every row from one snapshot), each table streamed with COPY … TO STDOUT into the GraphBuilder the file
// readers feed; never a whole table in memory. Rows come in key order and the graph is put in the order of
// order.ts, so that the same database gives the same graph (and the push-down the same JSON).
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { InputError, ProblemList } from '../../model/errors.js';
import { GraphBuilder, type CompactGraph } from '../compact.js';
import { qualified, quoteLiteral, readCatalog, type Table } from './catalog.js';
import { CopyTextParser } from './copy-text.js';
import { entityTypeOf, planRead, rowId, type ReadPlan, type TablePlan } from './model.js';
import { inOrder } from '../reorder.js';
import { FastTableReader } from './copy-fast.js';
import { copyRows, type RowBatch } from './copy-rows.js';
import { rowEntity, rowReferences, selectRows, type Row } from './rows.js';
import type { LoadedOverlay } from './overlay-types.js';
import type { PostgresConnection } from './connect.js';

/** Counters for the progress display (the CLI draws them). */
export interface ReadProgress {
  records: number;
  bytes: number;
  totalBytes: number;
  totalRecords?: number;
  unit?: string;
}

export interface ReadOptions {
  overlay?: LoadedOverlay;
  progress?: ReadProgress;
  /** One line per warning (tables not read, references to missing rows). */
  warn?: (line: string) => void;
  /**
   * Opens one more connection to the same database: the next table's COPY then runs on it, in the same snapshot,
   * while this process parses the current one. Without it (or when it fails), one connection reads everything.
   */
  connectMore?: () => Promise<PostgresConnection>;
}

export interface ReadResult {
  graph: CompactGraph;
  rows: number;
  bytes: number;
}

/**
 * Session settings that make a value's text the same whatever the server's or the role's defaults: row IDs are
 * built from it. row_security off makes a table whose policies would hide rows from this role an error instead of
 * a silently partial graph.
 */
const SETTINGS = [
  'SET LOCAL row_security = off',
  'SET LOCAL standard_conforming_strings = on',
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL TimeZone = 'UTC'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
];

/**
 * Opens the reading transaction on `conn` (REPEATABLE READ READ ONLY, the session settings) and reads the catalog
 * into a read plan, after the overlay's checks against the rows; the warnings go to `options.warn`. The caller
 * commits or rolls back. With `exportSnapshot`, the transaction's snapshot is exported first (for a second
 * connection to import): `snapshot` is its name, or undefined when the server cannot export one.
 */
export async function openSnapshot(
  conn: PostgresConnection,
  options: ReadOptions = {},
  exportSnapshot = false,
): Promise<{ plan: ReadPlan; snapshot?: string }> {
  const { client } = conn;
  const warn = options.warn ?? (() => {});
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let snapshot: string | undefined;
  if (exportSnapshot) {
    // Not in a savepoint: PostgreSQL exports no snapshot from a subtransaction. A failure ends the transaction,
    // so it begins again, unshared.
    try {
      snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0].s;
    } catch {
      await client.query('ROLLBACK');
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    }
  }
  for (const s of SETTINGS) await client.query(s);
  const catalog = await readCatalog(client);
  const plan = planRead(catalog, options.overlay, conn.user, conn.where);
  await checkClasses(client, plan);
  for (const w of await unreadWarnings(client, plan)) warn(w);
  for (const w of plan.warnings) warn(w);
  return { plan, snapshot };
}

/** Reads the whole database (as the overlay shapes it) into a CompactGraph. */
export async function readPostgres(conn: PostgresConnection, options: ReadOptions = {}): Promise<ReadResult> {
  const { client } = conn;
  const warn = options.warn ?? (() => {});
  try {
    const { plan, snapshot } = await openSnapshot(conn, options, options.connectMore !== undefined);
    const peer = snapshot !== undefined && options.connectMore ? await snapshotPeer(snapshot, options.connectMore) : undefined;
    try {
      const result = await readRows(conn, peer, plan, options.progress, warn);
      await client.query('COMMIT');
      return result;
    } finally {
      // Closing ends its read-only transaction (nothing to commit); no ROLLBACK that could queue behind a COPY.
      if (peer) await peer.close();
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/**
 * A second connection inside the exported snapshot (`SET TRANSACTION SNAPSHOT`, the same isolation, read-only mode
 * and settings), or undefined when there is none to be had (the server's connection limit): reading on one
 * connection is as consistent, only slower.
 */
async function snapshotPeer(snapshot: string, connectMore: () => Promise<PostgresConnection>): Promise<PostgresConnection | undefined> {
  let peer: PostgresConnection;
  try {
    peer = await connectMore();
  } catch {
    return undefined;
  }
  try {
    await peer.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await peer.client.query(`SET TRANSACTION SNAPSHOT ${quoteLiteral(snapshot)}`);
    for (const s of SETTINGS) await peer.client.query(s);
    return peer;
  } catch {
    await peer.close();
    return undefined;
  }
}

async function checkClasses(client: pg.Client, plan: ReadPlan): Promise<void> {
  const problems = new ProblemList(20);
  for (const check of plan.classChecks) {
    for (const r of (await client.query<{ value: string; count: string }>(check.sql)).rows) problems.add(check.problem(r.value, r.count));
  }
  problems.throwIfAny();
}

/** One line naming the tables without a primary key and their rows; one about tables not read whose keys can block. */
async function unreadWarnings(client: pg.Client, plan: ReadPlan): Promise<string[]> {
  const lines: string[] = [];
  const noKey = plan.unread.filter((t) => !t.pk);
  if (noKey.length) {
    const parts: string[] = [];
    for (const t of noKey) {
      let rows = 'rows unknown: no SELECT privilege';
      if (t.canSelect) {
        const n = (await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified(t)}`)).rows[0].n;
        rows = `${Number(n).toLocaleString('en-US')} row${n === '1' ? '' : 's'}`;
      }
      parts.push(`${entityTypeOf(t)} (${rows})`);
    }
    lines.push(
      `warning: ${noKey.length} table${noKey.length === 1 ? '' : 's'} without a primary key ${noKey.length === 1 ? 'is' : 'are'} not read: ${parts.join(', ')}`,
    );
  }
  return lines;
}

/**
 * At most this many IDs are reserved up front from the planner's estimates (more rows grow the table as usual): stale
 * statistics then cost at most ~110 MiB of tables sized for rows that are not there.
 */
const MAX_RESERVE = 1 << 22;

/** Something that takes the rows of a COPY … TO STDOUT as they come. */
interface CopySink {
  take(batch: RowBatch): void;
  end(): void;
}

/** One COPY of a read: its query, where its bytes go, and what a failure of it means. */
interface CopyJob {
  sql: string;
  sink: CopySink;
  fail: (err: unknown) => never;
}

/**
 * Runs the COPY queries in order; with two connections, each query is started one job ahead on the other one, so
 * that the server produces the next table (bounded by the socket's buffers: a paused stream stops reading) while
 * this process parses the current one. Returns the bytes read.
 */
async function runCopies(clients: pg.Client[], jobs: CopyJob[], progress: ReadProgress | undefined): Promise<number> {
  const streams: (Readable | undefined)[] = [];
  const failed: unknown[] = [];
  const start = (i: number) => {
    if (i >= jobs.length) return;
    const stream = clients[i % clients.length].query(copyRows(jobs[i].sql));
    // A failure before its turn is kept for its turn (an iterator made after the 'error' event would wait forever).
    stream.on('error', (err) => (failed[i] ??= err ?? new Error('COPY failed')));
    streams[i] = stream;
  };
  for (let i = 0; i < clients.length; i++) start(i);
  let bytes = 0;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    try {
      if (failed[i] !== undefined) throw failed[i];
      for await (const batch of streams[i]! as AsyncIterable<RowBatch>) {
        bytes += batch.bytes;
        if (progress) progress.bytes += batch.bytes;
        job.sink.take(batch);
      }
      job.sink.end();
    } catch (err) {
      // The other connection may be in the middle of the next COPY, paused by backpressure: let it run out (its
      // rows dropped), or the transaction's end would wait behind it forever.
      for (let k = i + 1; k < streams.length; k++) streams[k]?.resume();
      job.fail(err);
    }
    streams[i] = undefined;
    start(i + clients.length);
  }
  return bytes;
}

/** A privilege or row-security refusal on one table, as one line naming it. */
function rethrowTable(err: unknown, table: Table, role: string, where: string): never {
  const e = err as { code?: string; message?: string };
  if (e?.code === '42501') {
    const what = /row-level security/i.test(e.message ?? '')
      ? `row-level security would hide rows of table ${entityTypeOf(table)} from role "${role}" (blastguard must read every row: use a role that bypasses it)`
      : `role "${role}" may not read table ${entityTypeOf(table)}: ${e.message}`;
    throw new InputError({ file: where, message: what });
  }
  throw err;
}

async function readRows(
  conn: PostgresConnection,
  peer: PostgresConnection | undefined,
  plan: ReadPlan,
  progress: ReadProgress | undefined,
  warn: (line: string) => void,
): Promise<ReadResult> {
  const builder = new GraphBuilder(plan.schema);
  // The planner's row estimates size the ID table once (a table's references name rows of tables that are read,
  // so the rows are nearly all the IDs); capped, as statistics can be stale.
  builder.reserve(
    Math.min(
      plan.tables.reduce((a, t) => a + Math.max(0, t.table.estimate), 0),
      MAX_RESERVE,
    ),
  );
  const problems = new ProblemList(20);
  const missing = new Map<string, number>();
  if (progress) {
    const total = plan.tables.reduce((a, t) => a + t.table.estimate, 0);
    if (total > 0) progress.totalRecords = total;
    progress.unit = 'rows';
  }
  let rows = 0;
  let bytes = 0;
  // The index of each entity in the order rows arrive (table by table, each in key order): order.ts's order.
  let order = new Int32Array(1024);
  let placed = 0;
  const place = (ix: number) => {
    if (placed === order.length) {
      const next = new Int32Array(order.length * 2);
      next.set(order);
      order = next;
    }
    order[placed++] = ix;
  };
  const duplicate = (t: TablePlan, id: string) =>
    problems.add({
      file: conn.where,
      field: t.type,
      message: `two rows have the ID "${id}" (a table name with ":" can collide with another table's IDs): rename one`,
    });
  const countMissing = (label: string) => missing.set(label, (missing.get(label) ?? 0) + 1);
  const jobs: CopyJob[] = [];
  const readers: FastTableReader[] = [];
  for (const t of plan.tables) {
    // The string path: rows the byte path hands over (escapes, attributes, protected ID lists).
    const slow = (row: Row) => {
      const e = rowEntity(row, t, plan);
      const ix = builder.addEntity(e);
      if (ix < 0) duplicate(t, e.id);
      else place(ix);
      for (const r of rowReferences(row, t, countMissing)) builder.addRelation(e.id, r.relationType, rowId(r.toType, r.toKey));
    };
    const reader = new FastTableReader(builder, t, plan, { placed: place, slow, duplicate: (id) => duplicate(t, id), missing: countMissing });
    // Rows counted per chunk for the progress display (not per row: that is the byte path's whole point).
    let shown = 0;
    const counting: CopySink = {
      take(batch) {
        reader.take(batch);
        if (progress) progress.records += reader.rows - shown;
        shown = reader.rows;
      },
      end() {
        reader.end();
        if (progress) progress.records += reader.rows - shown;
        shown = reader.rows;
      },
    };
    readers.push(reader);
    jobs.push({ sql: `COPY (${selectRows(t)}) TO STDOUT`, sink: counting, fail: (err) => rethrowTable(err, t.table, conn.user, conn.where) });
  }
  for (const a of plan.arrays) {
    const onRow = (row: (string | null)[]) => {
      const from = rowId(a.fromType, row.slice(0, a.keyCount) as string[]);
      const toParts = row.slice(a.keyCount, a.keyCount + a.toKeyCount);
      if (toParts.some((v) => v === null)) missing.set(a.label, (missing.get(a.label) ?? 0) + 1);
      else builder.addRelation(from, a.relationType, rowId(a.toType, toParts as string[]));
    };
    jobs.push({
      sql: a.sql,
      sink: new CopyTextParser(onRow),
      fail: (err) => {
        throw err;
      },
    });
  }
  bytes += await runCopies(peer ? [conn.client, peer.client] : [conn.client], jobs, progress);
  for (const r of readers) rows += r.rows;
  for (const [id, problem] of plan.protectedIds) if (builder.definedIndex(id) < 0) problems.add(problem);
  problems.throwIfAny();
  for (const [label, n] of missing)
    warn(`warning: ${n.toLocaleString('en-US')} value${n === 1 ? '' : 's'} of ${label} name${n === 1 ? 's' : ''} no row; not followed`);
  const dangling = builder.dangling(3);
  if (dangling.count) {
    // Every reference comes from a validated key or a join, inside one snapshot: a dangling one is a bug.
    throw new Error(
      `reading PostgreSQL produced ${dangling.count} references to rows that were not read, e.g. ${dangling.items.map((d) => `${d.from} -${d.type}-> ${d.to}`).join('; ')}`,
    );
  }
  // No adjacency built only to be taken apart: inOrder sorts the builder's relation list once.
  const relations = builder.relationList();
  const graph = builder.build(false);
  return { graph: inOrder(graph, order.subarray(0, placed), relations), rows, bytes };
}
