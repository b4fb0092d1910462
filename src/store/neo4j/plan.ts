// The push-down plan: the closure of a deletion computed inside Neo4j with Cypher, level by level, in ONE explicit
// transaction that is always rolled back (so a plan never changes the database).
//
// 1. Closure. The roots are marked (a per-plan token and a depth on each node, visible only inside this transaction).
//    Each level is one query over the previous level's entities: a node pointing at one of them by a cascade
//    relation is deleted; a node pointing at one of them by a last-owner relation is deleted only when EVERY node it
//    points at by a last-owner relation is already marked at an earlier or the same level. Newly deleted nodes are
//    marked with the next depth. Repeat until a level finds nothing.
// 2. Neighbourhood. Cypher then collects what the result is made of: every relation pointing at a deleted node
//    (detach, restrict and protect are judged on these), every last-owner relation of a node that points at a
//    deleted one (spared: which owner keeps it), the forward cascade/last-owner paths from every deleted, detached
//    and spared node up to the first boundary node (its sites), and the nodes named like an unknown target.
// 3. Result. That neighbourhood, in canonical order, goes through the pure engine (src/engine/plan.ts), which
//    assembles sites, chains, order and violations exactly as for a graph read into memory — so the JSON is the same
//    byte for byte — and re-derives the closure on the neighbourhood: any difference from the closure Neo4j computed
//    is reported as a bug rather than printed.
//
// Every value is a query parameter: relation types travel as lists (`type(r) IN $cascade`), never in the text.
import { randomUUID } from 'node:crypto';
import neo4j, { type Transaction } from 'neo4j-driver';
import { plan, type PlanOptions } from '../../engine/plan.js';
import type { PlanResult } from '../../engine/result.js';
import { ProblemList } from '../../model/errors.js';
import type { OnDelete, Schema } from '../../model/types.js';
import { CanonicalGraphBuilder, type NodeRecord } from './canonical.js';
import type { Neo4jConnection } from './connect.js';
import { ENTITY_LABEL } from './names.js';
import { toNodeRecord } from './read.js';
import { requireCompleteSchema } from './schema.js';

const E = ENTITY_LABEL;
const MARK = '__blastguardPlan';
const DEPTH = '__blastguardDepth';
/** Node IDs per query (a level with more nodes takes several queries). */
const CHUNK = 5000;

const fields = (v: string, p = '') =>
  `${v}.id AS ${p}id, ${v}.type AS ${p}type, ${v}.name AS ${p}name, ${v}.protected AS ${p}protected, elementId(${v}) AS ${p}eid`;

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
  outgoing:
    `UNWIND $ids AS fid MATCH (f:${E} {id: fid})-[r]->(o:${E}) WHERE type(r) IN $types ` +
    `RETURN fid AS from, type(r) AS rel, ${fields('o')}`,
  named: `MATCH (n:${E}) WHERE n.name IN $names RETURN ${fields('n')}`,
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

function typesWith(schema: Schema, ...sems: OnDelete[]): string[] {
  return Object.keys(schema.relations).filter((t) => sems.includes(schema.relations[t].onDelete));
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export interface PushDownOptions extends PlanOptions {
  /** Node IDs per query (default 5000); small values only to test levels split over several queries. */
  chunkSize?: number;
}

/** Computes the plan for deleting `roots` inside Neo4j. Same result as plan() on the graph readGraph() returns. */
export async function planInNeo4j(conn: Neo4jConnection, roots: readonly string[], options: PushDownOptions = {}): Promise<PlanResult> {
  return (await planInNeo4jWithStats(conn, roots, options)).result;
}

export async function planInNeo4jWithStats(
  conn: Neo4jConnection,
  roots: readonly string[],
  options: PushDownOptions = {},
): Promise<{ result: PlanResult; stats: PushDownStats }> {
  const session = conn.session('WRITE');
  try {
    for (let attempt = 1; ; attempt++) {
      const tx = session.beginTransaction();
      try {
        return await pushDown(tx, conn.where, roots, options);
      } catch (err) {
        // Two plans marking the same nodes can deadlock; Neo4j aborts one of them: run it again.
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

async function pushDown(
  tx: Transaction,
  where: string,
  roots: readonly string[],
  options: PushDownOptions,
): Promise<{ result: PlanResult; stats: PushDownStats }> {
  const started = performance.now();
  const size = Math.max(1, options.chunkSize ?? CHUNK);
  let queries = 0;
  const run = async (q: string, params: Record<string, unknown>) => {
    queries++;
    return (await tx.run(q, params)).records;
  };
  const schema = await requireCompleteSchema(tx, where);
  const cascade = typesWith(schema, 'cascade');
  const lastOwner = typesWith(schema, 'last-owner');
  const detach = new Set(typesWith(schema, 'detach'));
  const own = typesWith(schema, 'cascade', 'last-owner');
  const meaningful = typesWith(schema, 'cascade', 'last-owner', 'detach', 'restrict', 'protect');
  const tok = randomUUID();

  const sub = new CanonicalGraphBuilder(schema);
  const problems = new ProblemList(20);
  const types = new Map<string, string>();
  const node = (r: { get(k: string): unknown }, p = ''): NodeRecord | null => {
    const rec = toNodeRecord(
      { id: r.get(`${p}id`), type: r.get(`${p}type`), name: r.get(`${p}name`), protected: r.get(`${p}protected`), elementId: r.get(`${p}eid`) as string },
      problems,
      where,
    );
    if (rec) {
      sub.addNode(rec);
      types.set(rec.id, rec.type);
    }
    return rec;
  };

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

  // 2. The neighbourhood: relations into deleted nodes, with their sources.
  const loSources = new Set<string>();
  const siteSeeds = new Set<string>(deletedIds);
  for (const ids of chunks(deletedIds, size)) {
    for (const r of await run(Q.incoming, { ids, tok, types: meaningful })) {
      const rec = node(r);
      if (!rec) continue;
      const rel = r.get('rel') as string;
      sub.addRelation(rec.id, rel, r.get('to') as string);
      if (schema.relations[rel].onDelete === 'last-owner') loSources.add(rec.id);
      else if (detach.has(rel) && !r.get('deleted')) siteSeeds.add(rec.id);
    }
  }
  // Every last-owner relation of those that point at a deleted node by one (which owners remain).
  for (const ids of chunks([...loSources], size)) {
    for (const r of await run(Q.outgoing, { ids, types: lastOwner })) {
      const rec = node(r);
      if (rec) sub.addRelation(r.get('from') as string, r.get('rel') as string, rec.id);
    }
  }
  for (const id of loSources) siteSeeds.add(id);
  // Sites: forward over cascade and last-owner relations, not beyond a boundary node.
  const boundary = schema.boundary;
  const visited = new Set(siteSeeds);
  frontier = [...siteSeeds].filter((id) => types.get(id) !== boundary);
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
  // Nodes named like a target that is not an ID (the engine suggests them).
  const unknown = [...new Set(roots)].filter((id) => !depthOf.has(id));
  if (unknown.length) for (const r of await run(Q.named, { names: unknown })) node(r);
  problems.throwIfAny();

  // 3. The result, assembled by the engine on the neighbourhood.
  const graph = sub.build();
  const result = plan(graph, roots, { intent: options.intent, limits: options.limits });
  if (result.deleted.length !== depthOf.size || result.deleted.some((d) => depthOf.get(d.id) !== d.depth)) {
    const diff = result.deleted.find((d) => depthOf.get(d.id) !== d.depth) ?? deletedIds.find((id) => !result.deleted.some((d) => d.id === id));
    throw new Error(`push-down closure disagrees with the engine (${depthOf.size} deleted in Neo4j, ${result.deleted.length} in the engine; first difference: ${JSON.stringify(diff)})`);
  }
  return {
    result,
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
