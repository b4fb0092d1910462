// The push-down plan: the closure of a deletion computed inside Neo4j with Cypher, level by level, in ONE read
// transaction (`executeRead`: on a cluster it may run on a follower or read replica, and the driver retries it on a
// transient failure or a lost connection). It writes nothing and takes no locks.
//
// 1. Closure. Each level is one query over the previous level's entities (several queries when the level is large):
//    it brings back every entity pointing at one of them by a cascade or last-owner relation, with, for those
//    reached only by last-owner, the IDs of every entity they point at by a last-owner relation. The client keeps
//    the depth of every deleted entity: a node reached by cascade is deleted; a node reached by last-owner only when
//    EVERY node it points at by a last-owner relation is already deleted at an earlier or the same level (judged
//    for all candidates of the level before any is added). Repeat until a level finds nothing — or until no node the
//    last level added has a relation a level query would follow into it (each row says so), which saves the
//    query that would find nothing.
// 2. Neighbourhood. Cypher then collects what a result is made of: every relation pointing at a deleted node
//    (detach, restrict and protect are judged on these), every last-owner relation of a node that points at a
//    deleted one (spared: which owner keeps it), the forward cascade/last-owner paths from every node of the result
//    up to the first boundary node (its sites), the relations among the nodes of the result (the pictures), the
//    nodes a manifest's selectors pick, and the nodes named like an unknown target.
// 3. Result. On that neighbourhood, in canonical order, the pure engine (plan, checkManifest, the pictures) gives
//    exactly what it gives on the whole graph read into memory — so the output is the same byte for byte — and it
//    re-derives the closure: any difference from the closure computed from Neo4j's answers is reported as a bug.
//
// Every value is a query parameter. Relation type names are written into the text only as a typed pattern
// (`-[r:A|B]->`) when every name is a plain Cypher name (names.ts); otherwise they travel as lists
// (`type(r) IN $own`).
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { plan, type PlanOptions } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import { matchesWhere } from '../engine/select.js';
import { byCodeUnit } from '../model/compare.js';
import { ProblemList } from '../model/errors.js';
import type { OnDelete, Schema, Selector } from '../model/types.js';
import type { CompactGraph } from '../store/compact.js';
import { CanonicalGraphBuilder, type NodeRecord } from '../store/neo4j/canonical.js';
import type { Neo4jConnection } from '../store/neo4j/connect.js';
import { ENTITY_LABEL } from '../store/neo4j/names.js';
import { toNodeRecord, typedPattern } from '../store/neo4j/read.js';
import { requireCompleteSchema } from '../store/neo4j/schema.js';
import { assertSameClosure as sharedAssertSameClosure } from './push-down-check.js';

const E = ENTITY_LABEL;
/** Node IDs per query (a level with more nodes takes several queries). */
const CHUNK = 5000;

/** A node's fields as a list: [id, type, name, protected, attributes, internal node ID] (see Row). */
const fields = (v: string) => `[${v}.id, ${v}.type, ${v}.name, ${v}.protected, ${v}.attributes, id(${v})]`;

/**
 * Rows per record. A record of a few kB fits one Bolt chunk; the driver reads a message spread over many chunks
 * byte by byte through a list of all of them, which made one record per query slower to decode than one per row.
 */
const PART = 16;

/** The query's end: `rows` and `targets` returned PART at a time, one record per part. */
function inParts(rows: string, targets: string): string {
  return (
    `UNWIND [i IN range(0, size(${rows}) - 1, ${PART}) | [0, i]] + [i IN range(0, size(${targets}) - 1, ${PART}) | [1, i]] AS part ` +
    `RETURN CASE part[0] WHEN 0 THEN ${rows}[part[1]..part[1] + ${PART}] ELSE [] END AS rows, ` +
    `CASE part[0] WHEN 1 THEN ${targets}[part[1]..part[1] + ${PART}] ELSE [] END AS targets`
  );
}

/**
 * The queries for one schema. Each collects its rows into a list and returns it PART rows per record, with the
 * `targets` (below) likewise: the driver decodes a few lists instead of building a record object per row, and the
 * server sends a message per part instead of one per row. Nodes travel between levels by internal node ID, `id()`
 * (deprecated in Neo4j 5 in favour of elementId(), which is a ~40-character string each way; a NodeByIdSeek either
 * way, and stable within the one read transaction a push-down runs in). Relation types travel as their index in the
 * schema's list (`$code`), not as names.
 */
function queries(t: { meaningful: string[]; all: string[]; own: string[] }) {
  // A relationship's type filter: the typed pattern alone when every name can be written into it (exact, and no list
  // has to travel with every query), else `type(r) IN $list` (a graph whose type names are not plain Cypher names).
  const isA = (r: string, list: keyof typeof t) => (typedPattern(t[list]) ? 'true' : `type(${r}) IN $${list}`);
  // Every relation out of a node (declared types): [type code, target's internal ID]. The relations among the
  // result's nodes, the last-owner owners and the first step towards the sites come from it. Targets are named by
  // internal ID only: every target that ends up in the neighbourhood is a node whose fields some row brings.
  const out = (v: string) => `[(${v})-[r2${typedPattern(t.all)}]->(o:${E}) WHERE ${isA('r2', 'all')} | [$code[type(r2)], id(o)]]`;
  // `targets`: the fields of every boundary node that a row's node points at by a cascade or last-owner relation,
  // once each (users share sites: listed per relation they would be most of the bytes). The walk does not go past
  // them; the fields of any other target are fetched by the walk only when the result does not already hold it
  // (usually it does: a deleted node's parent is deleted too). A COLLECT subquery (Neo4j 5.6 and later; `CALL (x)`
  // would need 5.23) reads the list of the row's nodes, `${v}s`.
  const targets = (v: string, only = '') =>
    `WITH rows, COLLECT { UNWIND ${v}s AS ${v} MATCH (${v})-[r2${typedPattern(t.own)}]->(o:${E}) ` +
    `WHERE ${only}${isA('r2', 'own')} AND o.type = $boundary WITH DISTINCT o RETURN ${fields('o')} AS target } AS targets ` +
    inParts('rows', 'targets');
  // Whether a node has any relation a level query would follow into it: when no node a level adds has one, the
  // next level would find nothing, and is not asked for.
  const hasIn = (v: string) => `EXISTS { (${v})<-[r3${typedPattern(t.meaningful)}]-(:${E}) WHERE ${isA('r3', 'meaningful')} }`;
  const level =
    `MATCH (x)<-[r${typedPattern(t.meaningful)}]-(f:${E}) WHERE ${isA('r', 'meaningful')} ` +
    `WITH f, collect($code[type(r)]) AS into ` +
    `WITH collect([${fields('f')}, into, ${out('f')}, ${hasIn('f')}]) AS rows, collect(f) AS fs ${targets('f')}`;
  return {
    roots:
      `UNWIND $ids AS id MATCH (n:${E} {id: id}) ` + `WITH collect([${fields('n')}, ${out('n')}, ${hasIn('n')}]) AS rows, collect(n) AS ns ${targets('n')}`,
    // One level of the closure and the neighbourhood at once: every node f pointing at a node of the level by a
    // meaningful relation, once, with the types of those relations (`into`: type codes) and everything f points at
    // (`out`).
    level: `UNWIND $xs AS xid MATCH (x) WHERE id(x) = xid ${level}`,
    // The first level, from the roots by ID: the level query over every node `roots` returns, sent with it.
    first: `UNWIND $ids AS id MATCH (x:${E} {id: id}) ${level}`,
    // The walk towards the sites, past the nodes of the result: a level's nodes (by internal ID) with their fields
    // and, unless they are boundary nodes, their cascade and last-owner relations.
    walk:
      `UNWIND $xs AS xid MATCH (f) WHERE id(f) = xid ` +
      `WITH collect([${fields('f')}, CASE WHEN f.type = $boundary THEN [] ELSE ` +
      `[(f)-[r2${typedPattern(t.own)}]->(o:${E}) WHERE ${isA('r2', 'own')} | [$code[type(r2)], id(o)]] END]) AS rows, collect(f) AS fs ` +
      targets('f', 'f.type <> $boundary AND '),
    // Relations out of nodes whose `out` no level brought (nodes only a selector picked).
    among: `UNWIND $xs AS xid MATCH (f) WHERE id(f) = xid WITH collect([id(f), ${out('f')}]) AS rows, collect(f) AS fs ${targets('f')}`,
    // These three stream one row per record (rows of one): off the hot path, and a manifest's selector may pick
    // most of a large graph, which a server would otherwise hold as one list.
    exists: `UNWIND $ids AS id MATCH (n:${E} {id: id}) RETURN [n.id] AS rows`,
    named: `MATCH (n:${E}) WHERE n.name IN $names RETURN [${fields('n')}] AS rows`,
    ofTypes: `MATCH (n:${E}) WHERE n.type IN $types RETURN [${fields('n')}] AS rows`,
  };
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
  /** Each query: its name in Q, milliseconds, rows. */
  timings: [string, number, number][];
}

export interface NeighbourhoodRequest {
  /** The IDs to delete. Without them, the IDs `select` picks (a manifest without `targets`). */
  targets?: readonly string[];
  /** A manifest's selectors: the entities they pick are part of the neighbourhood. */
  select?: readonly Selector[];
  /** Node IDs per query (default 5000); small values only to test levels split over several queries. */
  chunkSize?: number;
  /** IDs to look up (in the same transaction): which of them exist, whether or not the deletion reaches them. */
  probe?: readonly string[];
}

/**
 * The part of the graph a deletion's result is made of, in canonical order: on it, plan(), checkManifest() and the
 * pictures give for this deletion exactly what they give on the whole graph as readGraph() returns it.
 */
export interface Neighbourhood {
  graph: CompactGraph;
  /** Depth of every entity the closure computed in Neo4j deletes. */
  closure: ReadonlyMap<string, number>;
  /** Which of the request's `probe` IDs are entities of the graph. */
  present: ReadonlySet<string>;
  stats: PushDownStats;
}

function typesWith(schema: Schema, ...sems: OnDelete[]): string[] {
  return Object.keys(schema.relations).filter((t) => sems.includes(schema.relations[t].onDelete));
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Runs `fn` in a managed read transaction: retried by the driver on a transient failure (a leader switch, a lost
 * connection) within the target's retry time; routed to a reader on a cluster.
 */
export async function inReadTransaction<T>(conn: Neo4jConnection, fn: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = conn.session('READ');
  try {
    return await session.executeRead(fn);
  } finally {
    await session.close();
  }
}

/** Computes the closure inside Neo4j and brings back its neighbourhood (see the top of this file). */
export async function neighbourhoodInNeo4j(conn: Neo4jConnection, request: NeighbourhoodRequest): Promise<Neighbourhood> {
  return inReadTransaction(conn, (tx) => collect(tx, conn.where, request));
}

/** A node as the queries return it (see `fields`): [id, type, name, protected, attributes, internal node ID]. */
type Row = [unknown, unknown, unknown, unknown, unknown, number];
/** What `out` holds per node: [relation type code (index in the schema's list), the target's internal node ID]. */
type Out = [number, number][];

async function collect(tx: ManagedTransaction, where: string, request: NeighbourhoodRequest): Promise<Neighbourhood> {
  const started = performance.now();
  const size = Math.max(1, request.chunkSize ?? CHUNK);
  const schema = await requireCompleteSchema(tx, where);
  const cascade = new Set(typesWith(schema, 'cascade'));
  const lastOwner = new Set(typesWith(schema, 'last-owner'));
  const own = typesWith(schema, 'cascade', 'last-owner');
  const meaningful = typesWith(schema, 'cascade', 'last-owner', 'detach', 'restrict', 'protect');
  const all = Object.keys(schema.relations);
  const Q = queries({ meaningful, all, own });
  // The type codes as a map parameter (`$code[type(r)]`); fromEntries makes every name an own key, `__proto__` too.
  const code = Object.fromEntries(all.map((t, i) => [t, neo4j.int(i)]));
  // The type lists travel only when the queries need them (see isA in queries).
  const lists = Object.fromEntries(Object.entries({ meaningful, all, own }).filter(([, list]) => !typedPattern(list)));
  const typeParams = { ...lists, boundary: schema.boundary, code };
  const isCascade = all.map((t) => cascade.has(t));
  const isLastOwner = all.map((t) => lastOwner.has(t));
  const isOwn = all.map((t, i) => isCascade[i] || isLastOwner[i]);
  let queryCount = 0;
  const timings: [string, number, number][] = [];
  /** The fields of every boundary node a query listed in `targets`, by internal node ID. */
  const boundaryRows = new Map<number, Row>();
  /** Runs one of the queries; its single record's `rows` (and its `targets` are kept). */
  const run = async <T>(name: keyof typeof Q, params: Record<string, unknown>): Promise<T[]> => {
    queryCount++;
    const t = performance.now();
    const { records } = await tx.run(Q[name], { ...typeParams, ...params });
    const rows: T[] = [];
    for (const r of records) {
      for (const row of r.get('rows') as T[]) rows.push(row);
      if (r.has('targets')) for (const row of r.get('targets') as Row[]) boundaryRows.set(row[5], row);
    }
    timings.push([name, performance.now() - t, rows.length]);
    return rows;
  };
  /** The fields of the target of a relation, when it is a cascade or last-owner relation to a boundary node. */
  const fieldsOf = (rel: number, to: number): Row | null => (isOwn[rel] ? (boundaryRows.get(to) ?? null) : null);

  const sub = new CanonicalGraphBuilder(schema);
  const problems = new ProblemList(20);
  /** ID and type of every node added to the neighbourhood, by internal node ID. */
  const idOf = new Map<number, string>();
  const typeOf = new Map<number, string>();
  /** Every relation out of a node of the result (from `out`), kept until the closure is known. */
  const outs = new Map<number, Out>();
  // Relations found, by the internal node IDs of both ends; named by ID once every node is known. A relation whose
  // end never became a node of the neighbourhood is left out, as CanonicalGraphBuilder.build() would.
  const relFrom: number[] = [];
  const relType: number[] = [];
  const relTo: number[] = [];
  const relate = (from: number, type: number, to: number) => {
    relFrom.push(from);
    relType.push(type);
    relTo.push(to);
  };
  const record = (row: Row): NodeRecord | null =>
    toNodeRecord({ id: row[0], type: row[1], name: row[2], protected: row[3], attributes: row[4], elementId: `(internal ID ${row[5]})` }, problems, where);
  const add = (rec: NodeRecord, nid: number) => {
    sub.addNode(rec);
    if (!idOf.has(nid)) {
      idOf.set(nid, rec.id);
      typeOf.set(nid, rec.type);
    }
  };
  const node = (row: Row): NodeRecord | null => {
    const rec = record(row);
    if (rec) add(rec, row[5]);
    return rec;
  };
  const keepOut = (nid: number, out: Out) => {
    if (!outs.has(nid)) outs.set(nid, out);
  };
  /** The nodes of the result (deleted, detached, spared, blockers, selected): their sites and mutual relations. */
  const near = new Set<number>();

  // 0. The roots: the targets, or what the selectors pick.
  let roots: readonly string[] = request.targets ?? [];
  if (request.select?.length) {
    const picked = new Set<string>();
    const wanted = [...new Set(request.select.map((s) => s.type))];
    for (const row of await run<Row>('ofTypes', { types: wanted })) {
      const rec = record(row);
      if (!rec) continue;
      const hit = request.select.some((s) => s.type === rec.type && matchesWhere(rec.attributes, s.where && Object.keys(s.where).length ? s.where : undefined));
      if (!hit) continue;
      add(rec, row[5]);
      picked.add(rec.id);
      near.add(row[5]);
    }
    if (request.targets === undefined) roots = [...picked].sort(byCodeUnit);
  }

  // 1. The closure, level by level; each level's query also brings every relation into the level's nodes and
  // everything their sources point at, so the neighbourhood needs no second pass over the deleted nodes.
  const depthOf = new Map<string, number>();
  /** depthOf by internal node ID. */
  const depthAt = new Map<number, number>();
  let frontier: number[] = [];
  /** Nodes with a relation a level query follows into them (see hasIn in queries). */
  const pointedAt = new Set<number>();
  const rootIds = [...new Set(roots)];
  const rootRows = run<[Row, Out, boolean]>('roots', { ids: rootIds });
  // The first level is asked for at once, in the same round trip (the driver pipelines the two queries); its answer
  // is used when every node the roots query returned became the frontier, as the level query would have started
  // from exactly those (otherwise, e.g. two nodes with one ID in a graph without the constraint, it is asked for
  // again the usual way).
  type LevelRow = [Row, number[], Out, boolean];
  const firstLevel = run<LevelRow>('first', { ids: rootIds });
  firstLevel.catch(() => {}); // awaited below; a failure must not surface as unhandled while the roots are processed
  let returned = 0;
  for (const [row, out, hasIn] of await rootRows) {
    returned++;
    const rec = node(row);
    if (rec && !depthOf.has(rec.id)) {
      depthOf.set(rec.id, 0);
      depthAt.set(row[5], 0);
      frontier.push(row[5]);
      keepOut(row[5], out);
      if (hasIn) pointedAt.add(row[5]);
    }
  }
  let prefetched = frontier.length === returned ? firstLevel : null;
  /** One level's rows: the first level's as prefetched, else one query per chunk of the frontier. */
  async function* levelRows(nids: number[]): AsyncGenerator<LevelRow[]> {
    if (prefetched) {
      const rows = prefetched;
      prefetched = null;
      yield await rows;
      return;
    }
    for (const xs of chunks(nids, size)) yield await run<LevelRow>('level', { xs });
  }
  /** Sources of a last-owner relation into a deleted node: their owners are part of the neighbourhood. */
  const ownedSources = new Set<number>();
  let depth = 0;
  while (frontier.length) {
    const next: number[] = [];
    // Judged against the levels up to `depth` only: what this level adds does not own anything yet.
    const ownedAway = (out: Out) => out.every(([rel, to]) => !isLastOwner[rel] || (depthAt.get(to) ?? Infinity) <= depth);
    for await (const rows of levelRows(frontier)) {
      for (const [row, into, out, hasIn] of rows) {
        const rec = node(row);
        if (!rec) continue;
        const nid = row[5];
        keepOut(nid, out);
        near.add(nid);
        let byCascade = false;
        let byOwner = false;
        // (The relations themselves are in `out` too: the neighbourhood takes them from there.)
        for (const rel of into) {
          if (isCascade[rel]) byCascade = true;
          else if (isLastOwner[rel]) byOwner = true;
        }
        if (byOwner) ownedSources.add(nid);
        if (hasIn) pointedAt.add(nid);
        if (depthOf.has(rec.id)) continue;
        if (byCascade || (byOwner && ownedAway(out))) {
          depthOf.set(rec.id, depth + 1);
          depthAt.set(nid, depth + 1);
          next.push(nid);
        }
      }
    }
    frontier = next;
    if (next.length) depth++;
    // No node this level added has a relation a level query would follow into it: the next level would find nothing.
    if (!next.some((nid) => pointedAt.has(nid))) frontier = [];
  }
  if (prefetched) await prefetched; // (no root: the first level was not needed, but it ran in this transaction)
  for (const nid of depthAt.keys()) near.add(nid);

  // 2. Relations among the result's nodes (any type), which owners remain (every last-owner relation of a source of
  // a last-owner relation into a deleted node), and the walk to the sites: forward over cascade and last-owner
  // relations from every node of the result, not beyond a boundary node. A target's fields come with `out` when it
  // is a boundary node; any other target the result does not hold is fetched by the walk, one level per query.
  const missing = [...near].filter((nid) => !outs.has(nid));
  for (const xs of chunks(missing, size)) for (const [nid, out] of await run<[number, Out]>('among', { xs })) keepOut(nid, out);
  const boundary = schema.boundary;
  const visited = new Set(near);
  /** Nodes whose fields are needed though no walk reaches them (owners of a boundary source). */
  const wanted = new Set<number>();
  const step = (from: number, rel: number, to: number, next: number[]) => {
    const fields = fieldsOf(rel, to);
    if (fields) node(fields);
    relate(from, rel, to);
    if (visited.has(to)) return;
    visited.add(to);
    // A boundary node comes with its fields and is not walked past; any other node is fetched and walked next.
    if (!fields) next.push(to);
  };
  frontier = [];
  for (const from of near) {
    const forward = typeOf.get(from) !== boundary;
    for (const [rel, to] of outs.get(from) ?? []) {
      if (near.has(to)) relate(from, rel, to);
      else if (forward && isOwn[rel]) step(from, rel, to, frontier);
    }
  }
  for (const nid of ownedSources) {
    for (const [rel, to] of outs.get(nid) ?? []) {
      if (!isLastOwner[rel]) continue;
      const fields = fieldsOf(rel, to);
      if (fields) node(fields);
      relate(nid, rel, to);
      if (!fields && !visited.has(to)) wanted.add(to);
    }
  }
  while (frontier.length || wanted.size) {
    const next: number[] = [];
    const walked = new Set(frontier);
    const fetch = [...frontier, ...[...wanted].filter((nid) => !walked.has(nid) && !idOf.has(nid))];
    wanted.clear();
    for (const xs of chunks(fetch, size)) {
      for (const [row, out] of await run<[Row, Out]>('walk', { xs })) {
        if (!node(row) || !walked.has(row[5])) continue;
        for (const [rel, to] of out) step(row[5], rel, to, next);
      }
    }
    frontier = next;
  }
  // Nodes named like a target that is not an ID (the engine suggests them).
  const unknown = [...new Set(roots)].filter((id) => !depthOf.has(id));
  if (unknown.length) for (const row of await run<Row>('named', { names: unknown })) node(row);
  const present = new Set<string>();
  const probe = [...new Set(request.probe ?? [])];
  for (const id of probe) if (sub.hasNode(id)) present.add(id);
  const absent = probe.filter((id) => !present.has(id));
  if (absent.length) for (const id of await run<string>('exists', { ids: absent })) present.add(id);
  problems.throwIfAny();

  for (let k = 0; k < relFrom.length; k++) {
    const from = idOf.get(relFrom[k]);
    const to = idOf.get(relTo[k]);
    if (from !== undefined && to !== undefined) sub.addRelation(from, all[relType[k]], to);
  }
  const graph = sub.build();
  return {
    graph,
    closure: depthOf,
    present,
    stats: {
      levels: depth + (depthOf.size ? 1 : 0),
      queries: queryCount,
      deleted: depthOf.size,
      nodes: graph.size,
      relations: graph.relationCount,
      seconds: (performance.now() - started) / 1000,
      timings,
    },
  };
}

/** Throws (a bug, exit 3) when the engine's closure on the neighbourhood differs from the one Neo4j computed. */
export function assertSameClosure(hood: Neighbourhood, result: PlanResult): void {
  sharedAssertSameClosure(hood, result, 'Neo4j');
}

export interface PushDownOptions extends PlanOptions {
  /** Node IDs per query (default 5000); small values only to test levels split over several queries. */
  chunkSize?: number;
}

/** Plans the deletion of `roots` inside Neo4j. Same result as plan() on the graph readGraph() returns. */
export async function planInNeo4j(conn: Neo4jConnection, roots: readonly string[], options: PushDownOptions = {}): Promise<PlanResult> {
  return (await planInNeo4jWithStats(conn, roots, options)).result;
}

export async function planInNeo4jWithStats(
  conn: Neo4jConnection,
  roots: readonly string[],
  options: PushDownOptions & { probe?: readonly string[] } = {},
): Promise<{ result: PlanResult; graph: CompactGraph; present: ReadonlySet<string>; stats: PushDownStats }> {
  const hood = await neighbourhoodInNeo4j(conn, { targets: roots, chunkSize: options.chunkSize, probe: options.probe });
  const result = plan(hood.graph, roots, { intent: options.intent, limits: options.limits });
  assertSameClosure(hood, result);
  return { result, graph: hood.graph, present: hood.present, stats: hood.stats };
}
