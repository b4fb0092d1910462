// The push-down plan on PostgreSQL (--backend postgres): the closure of a deletion computed inside the database,
// level by level, with queries over the referencing columns, in ONE read-only transaction (REPEATABLE READ READ
// ONLY: one snapshot, nothing written); then the pure engine on the neighbourhood those queries brought back. The
// steps are those of the Neo4j push-down (./neo4j-push-down.ts), one for one:
//
// 1. Closure. Each level is one query per (relation into the level's tables, chunk of keys) with cascade or
//    last-owner semantics: the rows whose reference names a row of the level. A row found by a cascade is deleted;
//    a row found by a last-owner relation only when EVERY row it names by a last-owner relation is deleted at this
//    or an earlier level. Repeat until a level finds nothing.
// 2. Neighbourhood: the rows that refer to a deleted row (detach, restrict, protect are judged on them), the
//    last-owner references of those that refer by one (spared: which owner keeps them), the rows reached forward by
//    cascade/last-owner references up to the first boundary row (sites), the references among all of those (the
//    pictures), the rows a manifest's selectors pick, the rows named like an unknown target.
// 3. Result: that neighbourhood in the order of src/store/reorder.ts (tables in plan order, rows in key order
//    as the server sorts them) — the order the whole read has — so the engine gives the same JSON, and it re-derives
//    the closure: a difference from the closure computed in the database is a bug (exit 3), never printed.
//
// Rows are found by the referencing columns themselves (`t.col = ANY($1::type[])`: an index on them serves), or for a
// reference through a join, by the joined table's key; every value is a query parameter, every identifier is quoted
// by quoteIdent (src/store/postgres/catalog.ts). Overlay relations held in arrays are found by scanning the
// array's table (no index can serve an element compared as text): documented in docs/databases.md.
import type pg from 'pg';
import { checkManifest, type ManifestCheck, type ManifestCheckOptions } from '../engine/check.js';
import { plan, type PlanOptions } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import { matchesWhere } from '../engine/select.js';
import { byCodeUnit } from '../model/compare.js';
import type { Entity, Manifest, OnDelete, Selector } from '../model/types.js';
import { loadOverlayFile } from '../ingest/overlay.js';
import { GraphBuilder, type CompactGraph } from '../store/compact.js';
import { qualified } from '../store/postgres/catalog.js';
import { withPostgres, type PostgresConnection, type PostgresTarget } from '../store/postgres/connect.js';
import { rowId, type ArrayPlan, type ReadPlan, type RowRelation, type TablePlan } from '../store/postgres/model.js';
import type { LoadedOverlay } from '../store/postgres/overlay-types.js';
import { inOrder } from '../store/reorder.js';
import { openSnapshot } from '../store/postgres/read.js';
import { keyColumns, keyOfRow, rowEntity, rowReferences, selectRows, type Row } from '../store/postgres/rows.js';
import { assertSameClosure as sharedAssertSameClosure } from './push-down-check.js';

/** Keys per query (a level with more rows takes several queries). */
const CHUNK = 5000;

export interface PostgresPushDownTarget extends PostgresTarget {
  /** The overlay file (docs/databases.md), read and checked before connecting. */
  overlay?: string;
}

export interface PushDownStats {
  /** Levels of the closure (the deepest depth + 1). */
  levels: number;
  queries: number;
  deleted: number;
  /** Size of the neighbourhood brought back to assemble the result. */
  nodes: number;
  relations: number;
  seconds: number;
}

export interface NeighbourhoodRequest {
  /** The IDs to delete. Without them, the IDs `select` picks (a manifest without `targets`). */
  targets?: readonly string[];
  /** A manifest's selectors: the rows they pick are part of the neighbourhood. */
  select?: readonly Selector[];
  /** Keys per query (default 5000); small values only to test levels split over several queries. */
  chunkSize?: number;
}

export interface Neighbourhood {
  graph: CompactGraph;
  /** Depth of every row the closure computed in PostgreSQL deletes. */
  closure: ReadonlyMap<string, number>;
  stats: PushDownStats;
}

interface Reference {
  relationType: string;
  toType: string;
  toKey: string[];
  toId: string;
}

/** A row brought back: its entity and the references it holds (array references loaded on demand). */
interface Node {
  t: TablePlan;
  key: string[];
  entity: Entity;
  refs: Reference[];
  arrayRefs?: Reference[];
}

/** A relation into a table: the rows of `t` whose reference `rel` names, by its target `target`, a row there. */
interface Incoming {
  t: TablePlan;
  rel: RowRelation;
  target: number;
  onDelete: OnDelete;
}

const OWN: OnDelete[] = ['cascade', 'last-owner'];
const MEANINGFUL: OnDelete[] = ['cascade', 'last-owner', 'detach', 'restrict', 'protect'];

/** `map[key]`, created empty on first use (appending in place: copying the list each time would be quadratic). */
function listAt<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A select-list expression without its `::text` (the column or joined key itself, which an index can serve). */
function raw(expr: string): string {
  if (!expr.endsWith('::text')) throw new Error(`push-down: a reference column is not read as text: ${expr}`);
  return expr.slice(0, -'::text'.length);
}

/** `(a, b) IN (…$1, $2…)` for key tuples, each column cast to its type (`$1::bigint[]`). */
function inList(exprs: string[], types: string[], keys: string[][], first = 1): { cond: string; values: string[][] } {
  const values = exprs.map((_, i) => keys.map((k) => k[i]));
  if (exprs.length === 1) return { cond: `${exprs[0]} = ANY($${first}::${types[0]}[])`, values };
  const params = types.map((ty, i) => `$${first + i}::${ty}[]`).join(', ');
  return { cond: `(${exprs.join(', ')}) IN (SELECT * FROM unnest(${params}))`, values };
}

/** Entity ID `type:key` → its key parts (composite keys: `|`-separated, `%7C` and `%25` decoded). */
function keyPartsOf(id: string, t: TablePlan): string[] | undefined {
  const rest = id.slice(t.type.length + 1);
  if (t.keyCount === 1) return [rest];
  const parts = rest.split('|').map((p) => p.replace(/%(7C|25)/g, (m) => (m === '%7C' ? '|' : '%')));
  return parts.length === t.keyCount ? parts : undefined;
}

class Collector {
  queries = 0;
  private readonly client: pg.Client;
  private readonly tableOf = new Map<string, TablePlan>();
  private readonly incoming = new Map<string, Incoming[]>();
  private readonly arraysInto = new Map<string, ArrayPlan[]>();
  private readonly arraysFrom = new Map<string, ArrayPlan[]>();
  private readonly fetched = new Map<string, Node>();

  constructor(
    conn: PostgresConnection,
    private readonly plan: ReadPlan,
    private readonly size: number,
  ) {
    this.client = conn.client;
    for (const t of plan.tables) this.tableOf.set(t.type, t);
    for (const t of plan.tables) {
      for (const rel of t.relations) {
        rel.targets.forEach((target, i) =>
          listAt(this.incoming, target.type).push({ t, rel, target: i, onDelete: plan.schema.relations[rel.relationType].onDelete }),
        );
      }
    }
    for (const a of plan.arrays) {
      listAt(this.arraysInto, a.toType).push(a);
      listAt(this.arraysFrom, a.fromType).push(a);
    }
  }

  semantics(relationType: string): OnDelete {
    return this.plan.schema.relations[relationType].onDelete;
  }

  private keyTypes(type: string): string[] {
    const t = this.tableOf.get(type)!.table;
    return t.pk!.map((n) => t.byNum.get(n)!.type);
  }

  private async query(text: string, values: unknown[]): Promise<Row[]> {
    this.queries++;
    const res = await this.client.query<unknown[]>({ text, values, rowMode: 'array' });
    return res.rows.map((r) => r.map((v) => (v === true ? 't' : v === false ? 'f' : (v as string | null))));
  }

  private node(t: TablePlan, row: Row): Node {
    const key = keyOfRow(row, t);
    const id = rowId(t.type, key);
    let n = this.fetched.get(id);
    if (!n) {
      const refs = rowReferences(row, t).map((r) => ({ ...r, toId: rowId(r.toType, r.toKey) }));
      n = { t, key, entity: rowEntity(row, t, this.plan), refs };
      this.fetched.set(id, n);
    }
    return n;
  }

  private async rowsWhere(t: TablePlan, where: string, values: unknown[]): Promise<Node[]> {
    return (await this.query(selectRows(t, where), values)).map((r) => this.node(t, r));
  }

  /** The rows of the given IDs (IDs of no row are left out); `exact`: the keys come from rows, not from a user. */
  async byIds(ids: readonly string[], exact: boolean): Promise<Node[]> {
    const out: Node[] = [];
    const byTable = new Map<TablePlan, { id: string; key: string[] }[]>();
    for (const id of ids) {
      const known = this.fetched.get(id);
      if (known) {
        out.push(known);
        continue;
      }
      // A table name may hold ':': every table whose `type:` begins the ID is a candidate.
      for (const t of this.plan.tables) {
        if (!id.startsWith(`${t.type}:`)) continue;
        const key = keyPartsOf(id, t);
        if (key) listAt(byTable, t).push({ id, key });
      }
    }
    for (const [t, wanted] of byTable) {
      const want = new Set(wanted.map((w) => w.id));
      for (const part of chunks(wanted, this.size)) {
        const keys = part.map((w) => w.key);
        let rows: Node[];
        if (exact) rows = await this.rowsWhere(t, ...this.keyCond(t, keys));
        else rows = await this.userKeys(t, keys);
        // `issue:007` is not the row whose key reads 7: only a row whose ID is the one asked for counts.
        for (const n of rows) if (want.has(n.entity.id)) out.push(n);
      }
    }
    return out;
  }

  private keyCond(t: TablePlan, keys: string[][]): [string, unknown[]] {
    const { cond, values } = inList(keyColumns(t), this.keyTypes(t.type), keys);
    return [cond, values];
  }

  /** Keys a user typed may not even be values of the key's type: then they are compared as text (no row, or some). */
  private async userKeys(t: TablePlan, keys: string[][]): Promise<Node[]> {
    await this.client.query('SAVEPOINT blastguard_keys');
    try {
      const rows = await this.rowsWhere(t, ...this.keyCond(t, keys));
      await this.client.query('RELEASE SAVEPOINT blastguard_keys');
      return rows;
    } catch (err) {
      // Class 22: data exception (invalid input syntax, out of range…).
      if (!String((err as { code?: string }).code ?? '').startsWith('22')) throw err;
      await this.client.query('ROLLBACK TO SAVEPOINT blastguard_keys');
      const cols = keyColumns(t).map((c) => `${c}::text`);
      const { cond, values } = inList(
        cols,
        cols.map(() => 'text'),
        keys,
      );
      return this.rowsWhere(t, cond, values);
    }
  }

  /** Rows whose references of a semantics in `sems` name one of `nodes`, with the reference. */
  async referring(nodes: readonly Node[], sems: readonly OnDelete[]): Promise<{ from: Node; ref: Reference }[]> {
    const out: { from: Node; ref: Reference }[] = [];
    const byType = new Map<string, Node[]>();
    for (const n of nodes) listAt(byType, n.t.type).push(n);
    for (const [type, group] of byType) {
      const ids = new Set(group.map((n) => n.entity.id));
      for (const inc of this.incoming.get(type) ?? []) {
        if (!sems.includes(inc.onDelete)) continue;
        const exprs = inc.rel.targets[inc.target].positions.map((p) => raw(inc.t.select[p]));
        for (const part of chunks(group, this.size)) {
          const { cond, values } = inList(
            exprs,
            this.keyTypes(type),
            part.map((n) => n.key),
          );
          for (const from of await this.rowsWhere(inc.t, cond, values)) {
            for (const ref of from.refs) if (ref.relationType === inc.rel.relationType && ids.has(ref.toId)) out.push({ from, ref });
          }
        }
      }
      for (const a of this.arraysInto.get(type) ?? []) {
        if (!sems.includes(this.semantics(a.relationType))) continue;
        for (const part of chunks(group, this.size)) {
          const pairs = await this.arrayRows(
            a,
            a.keyCount,
            a.toKeyCount,
            part.map((n) => n.key),
          );
          const from = await this.byIds(
            pairs.map((p) => p.fromId),
            true,
          );
          const byId = new Map(from.map((n) => [n.entity.id, n]));
          for (const p of pairs) {
            const f = byId.get(p.fromId);
            if (f && ids.has(p.ref.toId)) out.push({ from: f, ref: p.ref });
          }
        }
      }
    }
    return out;
  }

  /** Rows of an array relation (one per element naming a row) whose columns `at` to `at+n-1` are among `keys`. */
  private async arrayRows(a: ArrayPlan, at: number, n: number, keys: string[][]): Promise<{ fromId: string; ref: Reference }[]> {
    const prefix = 'COPY (';
    const suffix = ') TO STDOUT';
    if (!a.sql.startsWith(prefix) || !a.sql.endsWith(suffix)) throw new Error(`push-down: unexpected array query ${a.sql}`);
    const inner = a.sql.slice(prefix.length, -suffix.length);
    const cols = Array.from({ length: a.keyCount + a.toKeyCount }, (_, i) => `c${i}`);
    const exprs = cols.slice(at, at + n).map((c) => `s.${c}`);
    const { cond, values } = inList(
      exprs,
      exprs.map(() => 'text'),
      keys,
    );
    const rows = await this.query(`SELECT * FROM (${inner}) s(${cols.join(', ')}) WHERE ${cond}`, values);
    const out: { fromId: string; ref: Reference }[] = [];
    for (const r of rows) {
      const toKey = r.slice(a.keyCount, a.keyCount + a.toKeyCount);
      if (toKey.some((v) => v === null)) continue; // names no row: no reference
      const k = toKey as string[];
      out.push({
        fromId: rowId(a.fromType, r.slice(0, a.keyCount) as string[]),
        ref: { relationType: a.relationType, toType: a.toType, toKey: k, toId: rowId(a.toType, k) },
      });
    }
    return out;
  }

  /** Loads the array references of `nodes` (once per node). */
  async loadArrays(nodes: readonly Node[]): Promise<void> {
    const byType = new Map<string, Node[]>();
    for (const n of nodes) {
      if (n.arrayRefs) continue;
      n.arrayRefs = [];
      if (this.arraysFrom.has(n.t.type)) listAt(byType, n.t.type).push(n);
    }
    for (const [type, group] of byType) {
      const byId = new Map(group.map((n) => [n.entity.id, n]));
      for (const a of this.arraysFrom.get(type)!) {
        for (const part of chunks(group, this.size)) {
          for (const p of await this.arrayRows(
            a,
            0,
            a.keyCount,
            part.map((n) => n.key),
          ))
            byId.get(p.fromId)?.arrayRefs!.push(p.ref);
        }
      }
    }
  }

  /** Every reference a node holds (its array references must be loaded). */
  refsOf(n: Node): Reference[] {
    return n.arrayRefs?.length ? [...n.refs, ...n.arrayRefs] : n.refs;
  }

  /** Every row of the tables of these entity types (a manifest's selectors). */
  async ofTypes(types: readonly string[]): Promise<Node[]> {
    const out: Node[] = [];
    for (const type of types) {
      const t = this.tableOf.get(type);
      if (t) for (const n of await this.rowsWhere(t, '', [])) out.push(n);
    }
    return out;
  }

  /** Rows whose name is one of `names` (the engine suggests them for a target that is not an ID). */
  async named(names: readonly string[]): Promise<Node[]> {
    const out: Node[] = [];
    for (const t of this.plan.tables) {
      if (t.namePos === undefined) continue;
      for (const n of await this.rowsWhere(t, `${t.select[t.namePos]} = ANY($1::text[])`, [names])) out.push(n);
    }
    return out;
  }

  /** The nodes in order.ts's order: tables in plan order, each table's rows in key order as the server sorts them. */
  async ordered(nodes: readonly Node[]): Promise<Node[]> {
    const out: Node[] = [];
    for (const t of this.plan.tables) {
      const group = nodes.filter((n) => n.t === t);
      if (group.length <= 1) {
        out.push(...group);
        continue;
      }
      const types = this.keyTypes(t.type);
      const cols = keyColumns(t);
      const params = types.map((ty, i) => `$${i + 2}::${ty}[]`).join(', ');
      const on = cols.map((c, i) => `${c} = u.k${i}`).join(' AND ');
      const sql =
        `SELECT u.o FROM unnest($1::int[], ${params}) AS u(o, ${types.map((_, i) => `k${i}`).join(', ')}) ` +
        `JOIN ${qualified(t.table)} t ON ${on} ORDER BY ${cols.join(', ')}`;
      const values: unknown[] = [group.map((_, i) => i), ...types.map((_, i) => group.map((n) => n.key[i]))];
      const rows = await this.query(sql, values);
      if (rows.length !== group.length) throw new Error(`push-down: ${group.length} rows of ${t.type} to order, ${rows.length} found`);
      for (const r of rows) out.push(group[Number(r[0])]);
    }
    return out;
  }
}

/** Computes the closure inside PostgreSQL and brings back its neighbourhood (see the top of this file). */
export async function neighbourhoodInPostgres(
  conn: PostgresConnection,
  overlay: LoadedOverlay | undefined,
  request: NeighbourhoodRequest,
  warn?: (line: string) => void,
): Promise<Neighbourhood> {
  try {
    const { plan: readPlan } = await openSnapshot(conn, { overlay, warn });
    return await collect(conn, readPlan, request);
  } finally {
    // Nothing was written: the transaction only ends.
    await conn.client.query('ROLLBACK').catch(() => {});
  }
}

async function collect(conn: PostgresConnection, readPlan: ReadPlan, request: NeighbourhoodRequest): Promise<Neighbourhood> {
  const started = performance.now();
  const c = new Collector(conn, readPlan, Math.max(1, request.chunkSize ?? CHUNK));
  const boundary = readPlan.schema.boundary;
  const graphNodes = new Map<string, Node>();
  const rels: [string, string, string][] = [];
  const add = (n: Node) => graphNodes.set(n.entity.id, n);
  const near = new Set<string>();

  // 0. The roots: the targets, or what the selectors pick.
  let roots: readonly string[] = request.targets ?? [];
  if (request.select?.length) {
    const picked = new Set<string>();
    for (const n of await c.ofTypes([...new Set(request.select.map((s) => s.type))])) {
      const hit = request.select.some(
        (s) => s.type === n.entity.type && matchesWhere(n.entity.attributes, s.where && Object.keys(s.where).length ? s.where : undefined),
      );
      if (!hit) continue;
      add(n);
      picked.add(n.entity.id);
      near.add(n.entity.id);
    }
    if (request.targets === undefined) roots = [...picked].sort(byCodeUnit);
  }

  // 1. The closure, level by level.
  const depthOf = new Map<string, number>();
  let frontier: Node[] = [];
  for (const n of await c.byIds([...new Set(roots)], false)) {
    if (depthOf.has(n.entity.id)) continue;
    add(n);
    depthOf.set(n.entity.id, 0);
    frontier.push(n);
  }
  let depth = 0;
  while (frontier.length) {
    const candidates = new Map<string, { node: Node; byCascade: boolean }>();
    for (const { from, ref } of await c.referring(frontier, OWN)) {
      if (depthOf.has(from.entity.id)) continue;
      const cand = candidates.get(from.entity.id) ?? { node: from, byCascade: false };
      if (c.semantics(ref.relationType) === 'cascade') cand.byCascade = true;
      candidates.set(from.entity.id, cand);
    }
    // Every candidate is judged before any is marked.
    await c.loadArrays([...candidates.values()].filter((x) => !x.byCascade).map((x) => x.node));
    const next: Node[] = [];
    for (const { node, byCascade } of candidates.values()) {
      const owners = byCascade ? [] : c.refsOf(node).filter((r) => c.semantics(r.relationType) === 'last-owner');
      if (byCascade || owners.every((r) => (depthOf.get(r.toId) ?? Infinity) <= depth)) next.push(node);
    }
    for (const n of next) {
      depthOf.set(n.entity.id, depth + 1);
      add(n);
    }
    frontier = next;
    if (next.length) depth++;
  }
  const deleted = [...depthOf.keys()].map((id) => graphNodes.get(id)!);
  for (const n of deleted) near.add(n.entity.id);

  // 2. References into deleted rows, with the rows holding them (detached, spared, blockers).
  const loSources: Node[] = [];
  for (const { from, ref } of await c.referring(deleted, MEANINGFUL)) {
    add(from);
    rels.push([from.entity.id, ref.relationType, ref.toId]);
    near.add(from.entity.id);
    if (c.semantics(ref.relationType) === 'last-owner') loSources.push(from);
  }
  // Every last-owner reference of those (which owners remain).
  await c.loadArrays(loSources);
  const targetsOf = async (n: Node[], sems: readonly OnDelete[]) => {
    const refs = n.flatMap((x) =>
      c
        .refsOf(x)
        .filter((r) => sems.includes(c.semantics(r.relationType)))
        .map((r) => ({ from: x, ref: r })),
    );
    const found = new Map((await c.byIds([...new Set(refs.map((r) => r.ref.toId))], true)).map((x) => [x.entity.id, x]));
    return refs.flatMap((r) => (found.has(r.ref.toId) ? [{ ...r, to: found.get(r.ref.toId)! }] : []));
  };
  for (const { from, ref, to } of await targetsOf(loSources, ['last-owner'])) {
    add(to);
    rels.push([from.entity.id, ref.relationType, to.entity.id]);
  }
  // Sites: forward over cascade and last-owner references, not beyond a boundary row.
  const visited = new Set(near);
  let forward = [...near].map((id) => graphNodes.get(id)!).filter((n) => n.entity.type !== boundary);
  while (forward.length) {
    await c.loadArrays(forward);
    const next: Node[] = [];
    for (const { from, ref, to } of await targetsOf(forward, OWN)) {
      add(to);
      rels.push([from.entity.id, ref.relationType, to.entity.id]);
      if (!visited.has(to.entity.id)) {
        visited.add(to.entity.id);
        if (to.entity.type !== boundary) next.push(to);
      }
    }
    forward = next;
  }
  // The references among the rows of the result, whatever their semantics (what the pictures draw).
  const nearNodes = [...near].map((id) => graphNodes.get(id)!);
  await c.loadArrays(nearNodes);
  for (const n of nearNodes) for (const r of c.refsOf(n)) if (near.has(r.toId)) rels.push([n.entity.id, r.relationType, r.toId]);
  // Rows named like a target that is not an ID (the engine suggests them).
  const unknown = [...new Set(roots)].filter((id) => !depthOf.has(id));
  if (unknown.length) for (const n of await c.named(unknown)) add(n);

  // 3. The neighbourhood, in the order of the whole read.
  const builder = new GraphBuilder(readPlan.schema);
  for (const n of await c.ordered([...graphNodes.values()])) builder.addEntity(n.entity);
  for (const [from, type, to] of rels) builder.addRelation(from, type, to);
  const unordered = builder.build();
  const graph = inOrder(
    unordered,
    Int32Array.from({ length: unordered.size }, (_, i) => i),
  );
  return {
    graph,
    closure: depthOf,
    stats: {
      levels: depth + (depthOf.size ? 1 : 0),
      queries: c.queries,
      deleted: depthOf.size,
      nodes: graph.size,
      relations: graph.relationCount,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/** Throws (a bug, exit 3) when the engine's closure on the neighbourhood differs from the one PostgreSQL computed. */
export function assertSameClosure(hood: Neighbourhood, result: PlanResult): void {
  sharedAssertSameClosure(hood, result, 'PostgreSQL');
}

export interface PostgresPushDownOptions extends PlanOptions {
  /** Keys per query (default 5000); small values only to test levels split over several queries. */
  chunkSize?: number;
}

/** Plans the deletion of `roots` inside PostgreSQL: the same result as plan() on the database read whole. */
export async function planInPostgresWithStats(
  target: PostgresPushDownTarget,
  roots: readonly string[],
  options: PostgresPushDownOptions = {},
): Promise<{ result: PlanResult; graph: CompactGraph; stats: PushDownStats }> {
  const overlay = target.overlay !== undefined ? loadOverlayFile(target.overlay) : undefined;
  const hood = await withPostgres(target, 'planning', (conn) =>
    neighbourhoodInPostgres(conn, overlay, { targets: roots, chunkSize: options.chunkSize }, target.warn),
  );
  const result = plan(hood.graph, roots, { intent: options.intent, limits: options.limits, detail: options.detail });
  assertSameClosure(hood, result);
  return { result, graph: hood.graph, stats: hood.stats };
}

/** Checks a manifest with the closure computed inside PostgreSQL. */
export async function checkInPostgres(
  target: PostgresPushDownTarget,
  manifest: Manifest,
  options: ManifestCheckOptions,
): Promise<{ value: ManifestCheck; graph: CompactGraph }> {
  const overlay = target.overlay !== undefined ? loadOverlayFile(target.overlay) : undefined;
  const hood = await withPostgres(target, 'checking', (conn) =>
    neighbourhoodInPostgres(conn, overlay, { targets: manifest.targets, select: manifest.select }, target.warn),
  );
  const value = checkManifest(hood.graph, manifest, options);
  assertSameClosure(hood, value.result);
  return { value, graph: hood.graph };
}
