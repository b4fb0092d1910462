// Where a plan is computed: a Backend plans a deletion or checks a manifest and hands back the result with a graph
// the pictures can be drawn on. `memory` runs the engine on a graph in memory (read from a file or a database);
// `neo4j` pushes the closure down into Neo4j (./neo4j-push-down.ts), `postgres` into PostgreSQL
// (./postgres-push-down.ts). A new backend is one more implementation of this interface, here.
import { checkManifest, type ManifestCheck, type ManifestCheckOptions } from '../engine/check.js';
import { plan } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import type { GraphIndex } from '../model/graph.js';
import type { Manifest } from '../model/types.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import type { PushDownOptions } from './neo4j-push-down.js';
import type { PostgresPushDownTarget } from './postgres-push-down.js';

export const BACKENDS = ['memory', 'neo4j', 'postgres'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** What a command needs from any backend: the result, and a graph on which the pictures can be drawn. */
export interface Planned<T> {
  value: T;
  graph: GraphIndex;
}

export interface Backend {
  readonly name: BackendName;
  /** What deleting `roots` would take down. */
  plan(roots: readonly string[], options: PushDownOptions): Promise<Planned<PlanResult>>;
  /** A manifest checked with every manifest rule. */
  check(manifest: Manifest, options: ManifestCheckOptions): Promise<Planned<ManifestCheck>>;
}

/** The engine on a graph in memory; `graph` is loaded on first use (so a command's input errors keep their order). */
export function memoryBackend(graph: GraphIndex | (() => Promise<GraphIndex>)): Backend {
  let loaded: Promise<GraphIndex> | undefined;
  const get = () => (loaded ??= typeof graph === 'function' ? graph() : Promise.resolve(graph));
  return {
    name: 'memory',
    async plan(roots, options) {
      const g = await get();
      return { value: plan(g, roots, options), graph: g };
    },
    async check(manifest, options) {
      const g = await get();
      return { value: checkManifest(g, manifest, options), graph: g };
    },
  };
}

/**
 * The closure computed inside Neo4j; the engine then runs on the neighbourhood Neo4j returns (the same result, byte
 * for byte, as on the whole graph read into memory). The driver is loaded on first use.
 */
export function neo4jBackend(target: Neo4jTarget): Backend {
  const load = () => Promise.all([import('../store/neo4j/connect.js'), import('./neo4j-push-down.js')]);
  return {
    name: 'neo4j',
    async plan(roots, options) {
      const [{ withNeo4j }, { planInNeo4jWithStats }] = await load();
      const { result, graph } = await withNeo4j(target, 'planning', (conn) => planInNeo4jWithStats(conn, roots, options));
      return { value: result, graph };
    },
    async check(manifest, options) {
      const [{ withNeo4j }, { neighbourhoodInNeo4j, assertSameClosure }] = await load();
      const hood = await withNeo4j(target, 'checking', (conn) => neighbourhoodInNeo4j(conn, { targets: manifest.targets, select: manifest.select }));
      const value = checkManifest(hood.graph, manifest, options);
      assertSameClosure(hood, value.result);
      return { value, graph: hood.graph };
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
  };
}
