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
import { toNodeRecord } from '../store/neo4j/read.js';
import { requireCompleteSchema } from '../store/neo4j/schema.js';

const E = ENTITY_LABEL;
/** Node IDs per query (a level with more nodes takes several queries). */
const CHUNK = 5000;

const fields = (v: string) =>
  `${v}.id AS id, ${v}.type AS type, ${v}.name AS name, ${v}.protected AS protected, ${v}.attributes AS attributes, elementId(${v}) AS eid`;

/** A node's fields as a map (for nodes inside a list or an optional column). */
const nodeMap = (v: string) => `${v} {.id, .type, .name, .protected, .attributes, eid: elementId(${v})}`;

const Q = {
  roots: `UNWIND $ids AS id MATCH (n:${E} {id: id}) RETURN ${fields('n')}`,
  // A candidate of the next level, once per query, with what the client needs to judge it: whether a cascade
  // relation reaches it, else the IDs of all it points at by last-owner.
  level:
    `UNWIND $ids AS xid MATCH (x:${E} {id: xid})<-[r]-(f:${E}) ` +
    `WHERE type(r) IN $cascade OR type(r) IN $lastOwner ` +
    `WITH f, max(CASE WHEN type(r) IN $cascade THEN 1 ELSE 0 END) AS byCascade ` +
    `RETURN ${fields('f')}, byCascade, ` +
    `CASE WHEN byCascade = 1 THEN [] ELSE [(f)-[r2]->(o:${E}) WHERE type(r2) IN $lastOwner | o.id] END AS owners`,
  // With, for a last-owner relation, every last-owner relation of its source and the node it points at (which
  // owners remain): one round trip instead of two.
  incoming:
    `UNWIND $ids AS xid MATCH (x:${E} {id: xid})<-[r]-(f:${E}) WHERE type(r) IN $types ` +
    `RETURN xid AS to, type(r) AS rel, ${fields('f')}, ` +
    `CASE WHEN type(r) IN $lastOwner THEN [(f)-[r2]->(o:${E}) WHERE type(r2) IN $lastOwner | [type(r2), ${nodeMap('o')}]] ELSE [] END AS owners`,
  outgoing: `UNWIND $ids AS fid MATCH (f:${E} {id: fid})-[r]->(o:${E}) WHERE type(r) IN $types RETURN fid AS from, type(r) AS rel, ${fields('o')}`,
  // Every relation out of a node of the result: the first step towards its sites (cascade and last-owner, with the
  // node reached) and the relations among the result's nodes (any type; the client keeps those whose target is one).
  among:
    `UNWIND $ids AS fid MATCH (f:${E} {id: fid})-[r]->(o:${E}) WHERE type(r) IN $types ` +
    `RETURN fid AS from, type(r) AS rel, o.id AS to, CASE WHEN type(r) IN $own THEN ${nodeMap('o')} END AS node`,
  exists: `UNWIND $ids AS id MATCH (n:${E} {id: id}) RETURN n.id AS id`,
  named: `MATCH (n:${E}) WHERE n.name IN $names RETURN ${fields('n')}`,
  ofTypes: `MATCH (n:${E}) WHERE n.type IN $types RETURN ${fields('n')}`,
};

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

async function collect(tx: ManagedTransaction, where: string, request: NeighbourhoodRequest): Promise<Neighbourhood> {
  const started = performance.now();
  const size = Math.max(1, request.chunkSize ?? CHUNK);
  let queries = 0;
  const timings: [string, number, number][] = [];
  const run = async (q: string, params: Record<string, unknown>) => {
    queries++;
    const t = performance.now();
    const { records } = await tx.run(q, params);
    timings.push([Object.keys(Q).find((k) => Q[k as keyof typeof Q] === q) ?? '?', performance.now() - t, records.length]);
    return records;
  };
  const schema = await requireCompleteSchema(tx, where);
  const cascade = typesWith(schema, 'cascade');
  const lastOwner = typesWith(schema, 'last-owner');
  const own = typesWith(schema, 'cascade', 'last-owner');
  const meaningful = typesWith(schema, 'cascade', 'last-owner', 'detach', 'restrict', 'protect');
  const all = Object.keys(schema.relations);

  const sub = new CanonicalGraphBuilder(schema);
  const problems = new ProblemList(20);
  const types = new Map<string, string>();
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
  const add = (rec: NodeRecord) => {
    sub.addNode(rec);
    types.set(rec.id, rec.type);
  };
  /** A node given as a map (see nodeMap), added to the neighbourhood. */
  const nodeOf = (m: Record<string, unknown>): NodeRecord | null => node({ get: (k: string) => m[k] });
  /** The node columns of a row as a map (for `step`). */
  const nodeRecordMap = (r: { get(k: string): unknown }): Record<string, unknown> => ({
    id: r.get('id'),
    type: r.get('type'),
    name: r.get('name'),
    protected: r.get('protected'),
    attributes: r.get('attributes'),
    eid: r.get('eid'),
  });
  const node = (r: { get(k: string): unknown }): NodeRecord | null => {
    const rec = record(r);
    if (rec) add(rec);
    return rec;
  };
  /** The nodes of the result (deleted, detached, spared, blockers, selected): their sites and mutual relations. */
  const near = new Set<string>();

  // 0. The roots: the targets, or what the selectors pick.
  let roots: readonly string[] = request.targets ?? [];
  if (request.select?.length) {
    const picked = new Set<string>();
    const wanted = [...new Set(request.select.map((s) => s.type))];
    for (const r of await run(Q.ofTypes, { types: wanted })) {
      const rec = record(r);
      if (!rec) continue;
      const hit = request.select.some((s) => s.type === rec.type && matchesWhere(rec.attributes, s.where && Object.keys(s.where).length ? s.where : undefined));
      if (!hit) continue;
      add(rec);
      picked.add(rec.id);
      near.add(rec.id);
    }
    if (request.targets === undefined) roots = [...picked].sort(byCodeUnit);
  }

  // 1. The closure, level by level.
  const depthOf = new Map<string, number>();
  let frontier: string[] = [];
  for (const r of await run(Q.roots, { ids: [...new Set(roots)] })) {
    const rec = node(r);
    if (rec && !depthOf.has(rec.id)) {
      depthOf.set(rec.id, 0);
      frontier.push(rec.id);
    }
  }
  let depth = 0;
  while (frontier.length) {
    const next: string[] = [];
    // Judged against the levels up to `depth` only: what this level adds does not own anything yet.
    const ownedAway = (owners: unknown[]) => owners.every((o) => typeof o === 'string' && (depthOf.get(o) ?? Infinity) <= depth);
    for (const ids of chunks(frontier, size)) {
      for (const r of await run(Q.level, { ids, cascade, lastOwner })) {
        const id = r.get('id');
        if (typeof id === 'string' && depthOf.has(id)) continue;
        if (r.get('byCascade') !== 1 && !ownedAway(r.get('owners') as unknown[])) continue;
        const rec = node(r);
        if (rec && !depthOf.has(rec.id)) {
          depthOf.set(rec.id, depth + 1);
          next.push(rec.id);
        }
      }
    }
    frontier = next;
    if (next.length) depth++;
  }
  const deletedIds = [...depthOf.keys()];
  for (const id of deletedIds) near.add(id);

  // 2. Relations into deleted nodes, with their sources (detached, spared, blockers), and for a last-owner relation
  // every last-owner relation of its source (which owners remain).
  for (const ids of chunks(deletedIds, size)) {
    for (const r of await run(Q.incoming, { ids, types: meaningful, lastOwner })) {
      const rec = node(r);
      if (!rec) continue;
      sub.addRelation(rec.id, r.get('rel') as string, r.get('to') as string);
      near.add(rec.id);
      for (const [rel, owner] of r.get('owners') as [string, Record<string, unknown>][]) {
        const o = nodeOf(owner);
        if (o) sub.addRelation(rec.id, rel, o.id);
      }
    }
  }
  // Sites: forward over cascade and last-owner relations, not beyond a boundary node. The first step goes with the
  // relations among the result's nodes (one query over them), the next ones level by level.
  const boundary = schema.boundary;
  const visited = new Set(near);
  const step = (from: string, rel: string, target: Record<string, unknown> | null, next: string[]) => {
    const rec = target && nodeOf(target);
    if (!rec) return;
    sub.addRelation(from, rel, rec.id);
    if (!visited.has(rec.id)) {
      visited.add(rec.id);
      if (rec.type !== boundary) next.push(rec.id);
    }
  };
  frontier = [];
  for (const ids of chunks([...near], size)) {
    for (const r of await run(Q.among, { ids, types: all, own })) {
      const from = r.get('from') as string;
      const rel = r.get('rel') as string;
      const to = r.get('to');
      if (typeof to === 'string' && near.has(to)) sub.addRelation(from, rel, to);
      if (types.get(from) !== boundary) step(from, rel, r.get('node') as Record<string, unknown> | null, frontier);
    }
  }
  while (frontier.length) {
    const next: string[] = [];
    for (const ids of chunks(frontier, size)) {
      for (const r of await run(Q.outgoing, { ids, types: own })) step(r.get('from') as string, r.get('rel') as string, nodeRecordMap(r), next);
    }
    frontier = next;
  }
  // Nodes named like a target that is not an ID (the engine suggests them).
  const unknown = [...new Set(roots)].filter((id) => !depthOf.has(id));
  if (unknown.length) for (const r of await run(Q.named, { names: unknown })) node(r);
  const present = new Set<string>();
  const probe = [...new Set(request.probe ?? [])];
  for (const id of probe) if (sub.hasNode(id)) present.add(id);
  const missing = probe.filter((id) => !present.has(id));
  if (missing.length) for (const r of await run(Q.exists, { ids: missing })) present.add(r.get('id') as string);
  problems.throwIfAny();

  const graph = sub.build();
  return {
    graph,
    closure: depthOf,
    present,
    stats: {
      levels: depth + (depthOf.size ? 1 : 0),
      queries,
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
  const { closure } = hood;
  const diff = result.deleted.find((d) => closure.get(d.id) !== d.depth);
  if (result.deleted.length === closure.size && !diff) return;
  const inEngine = new Set(result.deleted.map((d) => d.id));
  const missing = [...closure.keys()].find((id) => !inEngine.has(id));
  throw new Error(
    `push-down closure disagrees with the engine (${closure.size} deleted in Neo4j, ${result.deleted.length} by the engine; ` +
      `first difference: ${diff ? `${diff.id} at depth ${diff.depth} (Neo4j: ${closure.get(diff.id) ?? 'not deleted'})` : `${missing} deleted only in Neo4j`})`,
  );
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
