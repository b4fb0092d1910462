// Where a plan is computed: a Backend plans a deletion or checks a manifest and hands back the result with a graph
// the pictures can be drawn on. `memory` runs the engine on a graph in memory (read from a file or a database);
// `neo4j` pushes the closure down into Neo4j (./neo4j-push-down.ts), `postgres` into PostgreSQL
// (./postgres-push-down.ts). A new backend is one more implementation of this interface, here, and the `pushDown` of
// its source in the table of graph sources (./sources.ts), which names it and chooses it (backendOn).
import { checkManifest, type ManifestCheck, type ManifestCheckOptions } from '../engine/check.js';
import { plan } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import type { GraphIndex } from '../model/graph.js';
import type { Manifest } from '../model/types.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import type { PushDownOptions } from './neo4j-push-down.js';
import type { PostgresPushDownTarget } from './postgres-push-down.js';
import type { SnapshotStamp } from './neo4j-fingerprint.js';
import type { BackendName } from './sources.js';

export type { BackendName } from './sources.js';

/** What a command needs from any backend: the result, and a graph on which the pictures can be drawn. */
export interface Planned<T> {
  value: T;
  graph: GraphIndex;
  /**
   * With `stamp`: the fingerprint and counts of the whole graph, for an approved plan, when `graph` is only part of
   * it (the push-down); absent when `graph` is the whole graph.
   */
  snapshot?: SnapshotStamp;
}

/** Asks a backend for the snapshot stamp an approved plan needs (see Planned.snapshot). */
export interface StampOption {
  stamp?: boolean;
}

export interface Backend {
  readonly name: BackendName;
  /** What deleting `roots` would take down. */
  plan(roots: readonly string[], options: PushDownOptions & StampOption): Promise<Planned<PlanResult>>;
  /** A manifest checked with every manifest rule. */
  check(manifest: Manifest, options: ManifestCheckOptions & StampOption): Promise<Planned<ManifestCheck>>;
  /** What `why` needs: the plan of deleting `roots`, and whether `id` is an entity of the graph at all. */
  explain(id: string, roots: readonly string[], options: PushDownOptions): Promise<{ result: PlanResult; known: boolean }>;
}

/** The engine on a graph in memory; `graph` is loaded on first use (so a command's input errors keep their order). */
export function memoryBackend(graph: GraphIndex | (() => Promise<GraphIndex>)): Backend {
  let loaded: Promise<GraphIndex> | undefined;
  const get = () => (loaded ??= typeof graph === 'function' ? graph() : Promise.resolve(graph));
  return {
    name: 'memory',
    async plan(roots, options) {
      const g = await get();
      return { value: plan(g, roots, { intent: options.intent, limits: options.limits }), graph: g };
    },
    async check(manifest, options) {
      const g = await get();
      const { stamp: _stamp, ...rest } = options;
      return { value: checkManifest(g, manifest, rest), graph: g };
    },
    async explain(id, roots, options) {
      const g = await get();
      return { result: plan(g, roots, options), known: g.indexOf(id) >= 0 };
    },
  };
}

/**
 * The closure computed inside Neo4j; the engine then runs on the neighbourhood Neo4j returns (the same result, byte
 * for byte, as on the whole graph read into memory). The driver is loaded on first use.
 */
export function neo4jBackend(target: Neo4jTarget): Backend {
  const load = () => Promise.all([import('../store/neo4j/connect.js'), import('./neo4j-push-down.js'), import('./neo4j-fingerprint.js')]);
  return {
    name: 'neo4j',
    async plan(roots, options) {
      const [{ withNeo4j }, { planInNeo4jWithStats }, { snapshotStampInNeo4j }] = await load();
      return withNeo4j(target, 'planning', async (conn) => {
        const { result, graph } = await planInNeo4jWithStats(conn, roots, options);
        return { value: result, graph, snapshot: options.stamp ? await snapshotStampInNeo4j(conn) : undefined };
      });
    },
    async check(manifest, options) {
      const [{ withNeo4j }, { neighbourhoodInNeo4j, assertSameClosure }, { snapshotStampInNeo4j }] = await load();
      const { stamp, ...rest } = options;
      const [hood, snapshot] = await withNeo4j(
        target,
        'checking',
        async (conn) =>
          [
            await neighbourhoodInNeo4j(conn, { targets: manifest.targets, select: manifest.select }),
            stamp ? await snapshotStampInNeo4j(conn) : undefined,
          ] as const,
      );
      const value = checkManifest(hood.graph, manifest, rest);
      assertSameClosure(hood, value.result);
      return { value, graph: hood.graph, snapshot };
    },
    async explain(id, roots, options) {
      const [{ withNeo4j }, { planInNeo4jWithStats }] = await load();
      const { result, present } = await withNeo4j(target, 'explaining', (conn) => planInNeo4jWithStats(conn, roots, { ...options, probe: [id] }));
      return { result, known: present.has(id) };
    },
  };
}

/**
 * The closure computed inside PostgreSQL (read-only, one snapshot); the engine then runs on the neighbourhood it
 * returns (the same result, byte for byte, as on the whole database read into memory). The driver is loaded on first use.
 */
export function postgresBackend(target: PostgresPushDownTarget): Backend {
  const load = () => import('./postgres-push-down.js');
  return {
    name: 'postgres',
    async plan(roots, options) {
      const { planInPostgresWithStats } = await load();
      const { result, graph } = await planInPostgresWithStats(target, roots, options);
      return { value: result, graph };
    },
    async check(manifest, options) {
      const { checkInPostgres } = await load();
      return checkInPostgres(target, manifest, options);
    },
    async explain(id, roots, options) {
      const { planInPostgresWithStats } = await load();
      const { result, graph } = await planInPostgresWithStats(target, roots, options);
      if (graph.indexOf(id) >= 0) return { result, known: true };
      // Not in the plan's neighbourhood: whether the row exists at all is asked by planning it alone (an ID that
      // names no row is an unknown target there).
      const probe = await planInPostgresWithStats(target, [id], {});
      return { result, known: !probe.result.violations.some((v) => v.rule === 'unknown-target') };
    },
  };
}
