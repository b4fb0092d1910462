// The push-down plan: the closure of a deletion computed inside Neo4j with Cypher, level by level, in ONE read
// transaction (`executeRead`: on a cluster it may run on a follower or read replica, and the driver retries it on a
// transient failure or a lost connection). It writes nothing and takes no locks.
//
// 1. Closure. Each level is one query over the previous level's entities (several queries when the level is large):
//    it brings back every entity pointing at one of them by a cascade or last-owner relation, with, for those
//    reached only by last-owner, the IDs of every entity they point at by a last-owner relation. The client keeps
//    the depth of every deleted entity: a node reached by cascade is deleted; a node reached by last-owner only when
//    EVERY node it points at by a last-owner relation is already deleted at an earlier or the same level (judged
//    for all candidates of the level before any is added). Repeat until a level finds nothing.
// 2. Neighbourhood. Cypher then collects what a result is made of: every relation pointing at a deleted node
//    (detach, restrict and protect are judged on these), every last-owner relation of a node that points at a
//    deleted one (spared: which owner keeps it), the forward cascade/last-owner paths from every node of the result
//    up to the first boundary node (its sites), the relations among the nodes of the result (the pictures), the
//    nodes a manifest's selectors pick, and the nodes named like an unknown target.
// 3. Result. On that neighbourhood, in canonical order, the pure engine (plan, checkManifest, the pictures) gives
//    exactly what it gives on the whole graph read into memory — so the output is the same byte for byte — and it
//    re-derives the closure: any difference from the closure computed from Neo4j's answers is reported as a bug.
//
// Every value is a query parameter: relation types travel as lists (`type(r) IN $cascade`), never in the text.
import type { ManagedTransaction } from 'neo4j-driver';
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

const fields = (v: string) =>
  `${v}.id AS id, ${v}.type AS type, ${v}.name AS name, ${v}.protected AS protected, ${v}.attributes AS attributes, elementId(${v}) AS eid`;

/** A node's fields as a map (for nodes inside a list or an optional column). */
const nodeMap = (v: string) => `${v} {.id, .type, .name, .protected, .attributes, eid: elementId(${v})}`;

/**
 * The queries for one schema. Nodes travel between levels by elementId (a direct seek, no index lookup); node
 * fields come back as columns once per node and per level.
 */
function queries(t: { meaningful: string[]; all: string[]; own: string[] }) {
  // Every relation out of a node (declared types): [type, target ID, target elementId, the target's fields only when
  // the type is cascade or last-owner and the target is a boundary node]. The relations among the result's nodes,
  // the last-owner owners and the first step towards the sites come from it; the fields of a non-boundary target
  // are fetched by the walk only when the result does not already hold it (usually it does: a deleted node's
  // parent is deleted too), which keeps the rows small.
  const out = (v: string) =>
    `[(${v})-[r2${typedPattern(t.all)}]->(o:${E}) WHERE type(r2) IN $all | ` +
    `[type(r2), o.id, elementId(o), CASE WHEN type(r2) IN $own AND o.type = $boundary THEN ${nodeMap('o')} END]] AS out`;
  return {
    roots: `UNWIND $ids AS id MATCH (n:${E} {id: id}) RETURN ${fields('n')}, ${out('n')}`,
    // One level of the closure and the neighbourhood at once: every node f pointing at a node of the level by a
    // meaningful relation, once, with those relations (\`into\`) and everything f points at (\`out\`).
    level:
      `UNWIND $xs AS x0 MATCH (x) WHERE elementId(x) = x0[0] ` +
      `MATCH (x)<-[r${typedPattern(t.meaningful)}]-(f:${E}) WHERE type(r) IN $meaningful ` +
      `WITH f, collect([type(r), x0[1]]) AS into RETURN ${fields('f')}, into, ${out('f')}`,
    // The walk towards the sites, past the nodes of the result: a level's nodes (by elementId) with their fields and,
    // unless they are boundary nodes, their cascade and last-owner relations.
    walk:
      `UNWIND $eids AS e MATCH (f) WHERE elementId(f) = e RETURN ${fields('f')}, ` +
      `CASE WHEN f.type = $boundary THEN [] ELSE [(f)-[r2${typedPattern(t.own)}]->(o:${E}) WHERE type(r2) IN $own | ` +
      `[type(r2), o.id, elementId(o), CASE WHEN o.type = $boundary THEN ${nodeMap('o')} END]] END AS out`,
    // Relations out of nodes whose \`out\` no level brought (nodes only a selector picked).
    among: `UNWIND $ids AS fid MATCH (f:${E} {id: fid}) RETURN fid AS from, ${out('f')}`,
    exists: `UNWIND $ids AS id MATCH (n:${E} {id: id}) RETURN n.id AS id`,
    named: `MATCH (n:${E}) WHERE n.name IN $names RETURN ${fields('n')}`,
    ofTypes: `MATCH (n:${E}) WHERE n.type IN $types RETURN ${fields('n')}`,
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

/** What `out` holds per node: [relation type, target ID, target elementId, the target's fields (see queries)]. */
type Out = [string, string, string, Record<string, unknown> | null][];

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
  const typeParams = { meaningful, all, own, boundary: schema.boundary };
  let queryCount = 0;
  const timings: [string, number, number][] = [];
  const run = async (name: keyof typeof Q, params: Record<string, unknown>) => {
    queryCount++;
    const t = performance.now();
    const { records } = await tx.run(Q[name], { ...typeParams, ...params });
    timings.push([name, performance.now() - t, records.length]);
    return records;
  };

  const sub = new CanonicalGraphBuilder(schema);
  const problems = new ProblemList(20);
  const types = new Map<string, string>();
  /** elementId of every node a later query starts from (a direct seek instead of an index lookup). */
  const eids = new Map<string, string>();
  /** Every relation out of a node of the result (from `out`), kept until the closure is known. */
  const outs = new Map<string, Out>();
  const record = (r: { get(k: string): unknown }): NodeRecord | null =>
    toNodeRecord(
      {
        id: r.get('id'),
        type: r.get('type'),
        name: r.get('name'),
        protected: r.get('protected'),
        attributes: r.get('attributes'),
        elementId: r.get('eid') as string,
      },
      problems,
      where,
    );
  const add = (rec: NodeRecord, eid: unknown) => {
    sub.addNode(rec);
    types.set(rec.id, rec.type);
    if (typeof eid === 'string' && !eids.has(rec.id)) eids.set(rec.id, eid);
  };
  const node = (r: { get(k: string): unknown }): NodeRecord | null => {
    const rec = record(r);
    if (rec) add(rec, r.get('eid'));
    return rec;
  };
  /** A node given as a map (see nodeMap), added to the neighbourhood. */
  const nodeOf = (m: Record<string, unknown>): NodeRecord | null => node({ get: (k: string) => m[k] });
  const keepOut = (id: string, out: unknown) => {
    if (!outs.has(id)) outs.set(id, out as Out);
  };
  /** The nodes of the result (deleted, detached, spared, blockers, selected): their sites and mutual relations. */
  const near = new Set<string>();

  // 0. The roots: the targets, or what the selectors pick.
  let roots: readonly string[] = request.targets ?? [];
  if (request.select?.length) {
    const picked = new Set<string>();
    const wanted = [...new Set(request.select.map((s) => s.type))];
    for (const r of await run('ofTypes', { types: wanted })) {
      const rec = record(r);
      if (!rec) continue;
      const hit = request.select.some((s) => s.type === rec.type && matchesWhere(rec.attributes, s.where && Object.keys(s.where).length ? s.where : undefined));
      if (!hit) continue;
      add(rec, r.get('eid'));
      picked.add(rec.id);
      near.add(rec.id);
    }
    if (request.targets === undefined) roots = [...picked].sort(byCodeUnit);
  }

  // 1. The closure, level by level; each level's query also brings every relation into the level's nodes and
  // everything their sources point at, so the neighbourhood needs no second pass over the deleted nodes.
  const depthOf = new Map<string, number>();
  let frontier: string[] = [];
  for (const r of await run('roots', { ids: [...new Set(roots)] })) {
    const rec = node(r);
    if (rec && !depthOf.has(rec.id)) {
      depthOf.set(rec.id, 0);
      frontier.push(rec.id);
      keepOut(rec.id, r.get('out'));
    }
  }
  /** Sources of a last-owner relation into a deleted node: their owners are part of the neighbourhood. */
  const ownedSources = new Set<string>();
  let depth = 0;
  while (frontier.length) {
    const next: string[] = [];
    // Judged against the levels up to `depth` only: what this level adds does not own anything yet.
    const ownedAway = (out: Out) => out.every(([rel, to]) => !lastOwner.has(rel) || (depthOf.get(to) ?? Infinity) <= depth);
    for (const ids of chunks(frontier, size)) {
      for (const r of await run('level', { xs: ids.map((id) => [eids.get(id) ?? '', id]) })) {
        const rec = node(r);
        if (!rec) continue;
        const id = rec.id;
        const out = r.get('out') as Out;
        keepOut(id, out);
        near.add(id);
        let byCascade = false;
        let byOwner = false;
        for (const [rel, to] of r.get('into') as [string, string][]) {
          sub.addRelation(id, rel, to);
          if (cascade.has(rel)) byCascade = true;
          else if (lastOwner.has(rel)) byOwner = true;
        }
        if (byOwner) ownedSources.add(id);
        if (depthOf.has(id)) continue;
        if (byCascade || (byOwner && ownedAway(out))) {
          depthOf.set(id, depth + 1);
          next.push(id);
        }
      }
    }
    frontier = next;
    if (next.length) depth++;
  }
  const deletedIds = [...depthOf.keys()];
  for (const id of deletedIds) near.add(id);

  // 2. Relations among the result's nodes (any type), which owners remain (every last-owner relation of a source of
  // a last-owner relation into a deleted node), and the walk to the sites: forward over cascade and last-owner
  // relations from every node of the result, not beyond a boundary node. A target's fields come with `out` when it
  // is a boundary node; any other target the result does not hold is fetched by the walk, one level per query.
  const missing = [...near].filter((id) => !outs.has(id));
  for (const ids of chunks(missing, size)) for (const r of await run('among', { ids })) keepOut(r.get('from') as string, r.get('out'));
  const boundary = schema.boundary;
  const visited = new Set(near);
  /** Nodes whose fields are needed though no walk reaches them (owners of a boundary source). */
  const wanted = new Map<string, string>();
  const target = (id: string, eid: string, fields: Record<string, unknown> | null) => {
    if (fields) nodeOf(fields);
    else if (!eids.has(id)) eids.set(id, eid);
  };
  const step = (from: string, rel: string, id: string, eid: string, fields: Record<string, unknown> | null, next: string[]) => {
    target(id, eid, fields);
    sub.addRelation(from, rel, id);
    if (visited.has(id)) return;
    visited.add(id);
    // A boundary node comes with its fields and is not walked past; any other node is fetched and walked next.
    if (!fields) next.push(id);
  };
  frontier = [];
  for (const from of near) {
    const forward = types.get(from) !== boundary;
    for (const [rel, to, eid, fields] of outs.get(from) ?? []) {
      if (near.has(to)) sub.addRelation(from, rel, to);
      if (forward && (cascade.has(rel) || lastOwner.has(rel))) step(from, rel, to, eid, fields, frontier);
    }
  }
  for (const id of ownedSources) {
    for (const [rel, to, eid, fields] of outs.get(id) ?? []) {
      if (!lastOwner.has(rel)) continue;
      target(to, eid, fields);
      sub.addRelation(id, rel, to);
      if (!fields && !visited.has(to)) wanted.set(to, eid);
    }
  }
  while (frontier.length || wanted.size) {
    const next: string[] = [];
    const walked = new Set(frontier);
    const fetch = [...frontier, ...[...wanted.keys()].filter((id) => !walked.has(id) && !sub.hasNode(id))];
    wanted.clear();
    for (const ids of chunks(fetch, size)) {
      for (const r of await run('walk', { eids: ids.map((id) => eids.get(id) ?? '') })) {
        const rec = node(r);
        if (!rec || !walked.has(rec.id)) continue;
        for (const [rel, to, eid, fields] of r.get('out') as Out) step(rec.id, rel, to, eid, fields, next);
      }
    }
    frontier = next;
  }
  // Nodes named like a target that is not an ID (the engine suggests them).
  const unknown = [...new Set(roots)].filter((id) => !depthOf.has(id));
  if (unknown.length) for (const r of await run('named', { names: unknown })) node(r);
  const present = new Set<string>();
  const probe = [...new Set(request.probe ?? [])];
  for (const id of probe) if (sub.hasNode(id)) present.add(id);
  const absent = probe.filter((id) => !present.has(id));
  if (absent.length) for (const r of await run('exists', { ids: absent })) present.add(r.get('id') as string);
  problems.throwIfAny();

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
