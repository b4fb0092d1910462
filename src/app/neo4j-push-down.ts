// The push-down plan: the closure of a deletion computed inside Neo4j with Cypher, level by level, in ONE explicit
// transaction that is always rolled back (so a plan never changes the database).
//
// 1. Closure. The roots are marked (a per-plan token and a depth on each node, visible only inside this transaction).
//    Each level is one query over the previous level's entities (several queries when the level is large): a node
//    pointing at one of them by a cascade relation is deleted; a node pointing at one of them by a last-owner
//    relation is deleted only when EVERY node it points at by a last-owner relation is already marked at an earlier
//    or the same level. Newly deleted nodes are marked with the next depth. Repeat until a level finds nothing.
// 2. Neighbourhood. Cypher then collects what a result is made of: every relation pointing at a deleted node
//    (detach, restrict and protect are judged on these), every last-owner relation of a node that points at a
//    deleted one (spared: which owner keeps it), the forward cascade/last-owner paths from every node of the result
//    up to the first boundary node (its sites), the relations among the nodes of the result (the pictures), the
//    nodes a manifest's selectors pick, and the nodes named like an unknown target.
// 3. Result. On that neighbourhood, in canonical order, the pure engine (plan, checkManifest, the pictures) gives
//    exactly what it gives on the whole graph read into memory — so the output is the same byte for byte — and it
//    re-derives the closure: any difference from the closure Neo4j computed is reported as a bug, never printed.
//
// Every value is a query parameter: relation types travel as lists (`type(r) IN $cascade`), never in the text.
import { randomUUID } from 'node:crypto';
import neo4j, { type Transaction } from 'neo4j-driver';
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
const MARK = '__blastguardPlan';
const DEPTH = '__blastguardDepth';
const NEAR = '__blastguardNear';
/** Node IDs per query (a level with more nodes takes several queries). */
const CHUNK = 5000;

const fields = (v: string) =>
  `${v}.id AS id, ${v}.type AS type, ${v}.name AS name, ${v}.protected AS protected, ${v}.attributes AS attributes, elementId(${v}) AS eid`;

const Q = {
  roots: `UNWIND $ids AS id MATCH (n:${E} {id: id}) SET n.${MARK} = $tok, n.${DEPTH} = 0 RETURN ${fields('n')}`,
  level:
    `UNWIND $ids AS xid MATCH (x:${E} {id: xid})<-[r]-(f:${E}) ` +
    `WHERE (type(r) IN $cascade OR type(r) IN $lastOwner) AND coalesce(f.${MARK} <> $tok, true) ` +
    `WITH f, max(CASE WHEN type(r) IN $cascade THEN 1 ELSE 0 END) AS byCascade ` +
    `WHERE byCascade = 1 OR all(o IN [(f)-[r2]->(o:${E}) WHERE type(r2) IN $lastOwner | o] WHERE o.${MARK} = $tok AND o.${DEPTH} <= $depth) ` +
    // collect() first: every candidate is judged before any of them is marked.
    `WITH collect(f) AS found UNWIND found AS f SET f.${MARK} = $tok, f.${DEPTH} = $depth + 1 RETURN ${fields('f')}`,
  incoming:
    `UNWIND $ids AS xid MATCH (x:${E} {id: xid})<-[r]-(f:${E}) WHERE type(r) IN $types ` +
    `RETURN xid AS to, type(r) AS rel, coalesce(f.${MARK} = $tok, false) AS deleted, ${fields('f')}`,
  outgoing: `UNWIND $ids AS fid MATCH (f:${E} {id: fid})-[r]->(o:${E}) WHERE type(r) IN $types RETURN fid AS from, type(r) AS rel, ${fields('o')}`,
  near: `UNWIND $ids AS id MATCH (n:${E} {id: id}) SET n.${NEAR} = $tok`,
  among:
    `UNWIND $ids AS fid MATCH (f:${E} {id: fid})-[r]->(o:${E}) WHERE o.${NEAR} = $tok AND type(r) IN $types ` +
    `RETURN fid AS from, type(r) AS rel, ${fields('o')}`,
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
}

export interface NeighbourhoodRequest {
  /** The IDs to delete. Without them, the IDs `select` picks (a manifest without `targets`). */
  targets?: readonly string[];
  /** A manifest's selectors: the entities they pick are part of the neighbourhood. */
  select?: readonly Selector[];
  /** Node IDs per query (default 5000); small values only to test levels split over several queries. */
  chunkSize?: number;
}

/**
 * The part of the graph a deletion's result is made of, in canonical order: on it, plan(), checkManifest() and the
 * pictures give for this deletion exactly what they give on the whole graph as readGraph() returns it.
 */
export interface Neighbourhood {
  graph: CompactGraph;
  /** Depth of every entity the closure computed in Neo4j deletes. */
  closure: ReadonlyMap<string, number>;
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

/** Runs `fn` in a write transaction that is always rolled back; retried when Neo4j aborts it for a deadlock. */
async function inRolledBackTransaction<T>(conn: Neo4jConnection, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const session = conn.session('WRITE');
  try {
    for (let attempt = 1; ; attempt++) {
      const tx = session.beginTransaction();
      try {
        return await fn(tx);
      } catch (err) {
        // Two plans marking the same nodes can deadlock; Neo4j then aborts one of them: run it again.
        const code = (err as { code?: string }).code ?? '';
        if (attempt < 4 && code.startsWith('Neo.TransientError.')) continue;
        throw err;
      } finally {
        // Never commit: the marks exist only inside this transaction.
        if (tx.isOpen()) await tx.rollback().catch(() => {});
      }
    }
  } finally {
    await session.close();
  }
}

/** Computes the closure inside Neo4j and brings back its neighbourhood (see the top of this file). */
export async function neighbourhoodInNeo4j(conn: Neo4jConnection, request: NeighbourhoodRequest): Promise<Neighbourhood> {
  return inRolledBackTransaction(conn, (tx) => collect(tx, conn.where, request));
}

async function collect(tx: Transaction, where: string, request: NeighbourhoodRequest): Promise<Neighbourhood> {
  const started = performance.now();
  const size = Math.max(1, request.chunkSize ?? CHUNK);
  let queries = 0;
  const run = async (q: string, params: Record<string, unknown>) => {
    queries++;
    return (await tx.run(q, params)).records;
  };
  const schema = await requireCompleteSchema(tx, where);
  const cascade = typesWith(schema, 'cascade');
  const lastOwner = typesWith(schema, 'last-owner');
  const own = typesWith(schema, 'cascade', 'last-owner');
  const meaningful = typesWith(schema, 'cascade', 'last-owner', 'detach', 'restrict', 'protect');
  const all = Object.keys(schema.relations);
  const tok = randomUUID();

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
  for (const r of await run(Q.roots, { ids: [...new Set(roots)], tok })) {
    const rec = node(r);
    if (rec && !depthOf.has(rec.id)) {
      depthOf.set(rec.id, 0);
      frontier.push(rec.id);
    }
  }
  let depth = 0;
  while (frontier.length) {
    const next: string[] = [];
    for (const ids of chunks(frontier, size)) {
      for (const r of await run(Q.level, { ids, tok, depth: neo4j.int(depth), cascade, lastOwner })) {
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

  // 2. Relations into deleted nodes, with their sources (detached, spared, blockers).
  const loSources = new Set<string>();
  for (const ids of chunks(deletedIds, size)) {
    for (const r of await run(Q.incoming, { ids, tok, types: meaningful })) {
      const rec = node(r);
      if (!rec) continue;
      const rel = r.get('rel') as string;
      sub.addRelation(rec.id, rel, r.get('to') as string);
      near.add(rec.id);
      if (schema.relations[rel].onDelete === 'last-owner') loSources.add(rec.id);
    }
  }
  // Every last-owner relation of those that point at a deleted node by one (which owners remain).
  for (const ids of chunks([...loSources], size)) {
    for (const r of await run(Q.outgoing, { ids, types: lastOwner })) {
      const rec = node(r);
      if (rec) sub.addRelation(r.get('from') as string, r.get('rel') as string, rec.id);
    }
  }
  // Sites: forward over cascade and last-owner relations, not beyond a boundary node.
  const boundary = schema.boundary;
  const visited = new Set(near);
  frontier = [...near].filter((id) => types.get(id) !== boundary);
  while (frontier.length) {
    const next: string[] = [];
    for (const ids of chunks(frontier, size)) {
      for (const r of await run(Q.outgoing, { ids, types: own })) {
        const rec = node(r);
        if (!rec) continue;
        sub.addRelation(r.get('from') as string, r.get('rel') as string, rec.id);
        if (!visited.has(rec.id)) {
          visited.add(rec.id);
          if (rec.type !== boundary) next.push(rec.id);
        }
      }
    }
    frontier = next;
  }
  // The relations among the nodes of the result, whatever their type (what the pictures draw).
  const nearIds = [...near];
  for (const ids of chunks(nearIds, size)) await run(Q.near, { ids, tok });
  for (const ids of chunks(nearIds, size)) {
    for (const r of await run(Q.among, { ids, tok, types: all })) {
      const rec = node(r);
      if (rec) sub.addRelation(r.get('from') as string, r.get('rel') as string, rec.id);
    }
  }
  // Nodes named like a target that is not an ID (the engine suggests them).
  const unknown = [...new Set(roots)].filter((id) => !depthOf.has(id));
  if (unknown.length) for (const r of await run(Q.named, { names: unknown })) node(r);
  problems.throwIfAny();

  const graph = sub.build();
  return {
    graph,
    closure: depthOf,
    stats: {
      levels: depth + (depthOf.size ? 1 : 0),
      queries,
      deleted: depthOf.size,
      nodes: graph.size,
      relations: graph.relationCount,
      seconds: (performance.now() - started) / 1000,
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
  options: PushDownOptions = {},
): Promise<{ result: PlanResult; graph: CompactGraph; stats: PushDownStats }> {
  const hood = await neighbourhoodInNeo4j(conn, { targets: roots, chunkSize: options.chunkSize });
  const result = plan(hood.graph, roots, { intent: options.intent, limits: options.limits });
  assertSameClosure(hood, result);
  return { result, graph: hood.graph, stats: hood.stats };
}
