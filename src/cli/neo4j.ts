// plan and check on either backend: in memory (on a file, or on a Neo4j graph read into memory), or pushed down
// into Neo4j (--backend neo4j). The driver is loaded only when a Neo4j URI is used.
import type { Argv } from 'yargs';
import { checkManifest, type ManifestCheck, type ManifestCheckOptions } from '../engine/check.js';
import { plan, type PlanOptions } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import { UsageError } from '../model/errors.js';
import type { Manifest } from '../model/types.js';
import type { GraphIndex } from '../store/compact.js';
import { isNeo4jUri } from '../store/neo4j/names.js';
import { loadGraphArg, neo4jTarget, type GraphArgs } from './io.js';

export const BACKENDS = ['memory', 'neo4j'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface BackendArgs extends GraphArgs {
  backend?: Backend;
  out?: string;
  waves?: string;
}

export function backendOption<T>(y: Argv<T>) {
  return y.option('backend', {
    choices: BACKENDS,
    default: 'memory' as Backend,
    describe: 'Where the plan is computed: in memory, or inside Neo4j (with --graph bolt://… or neo4j://…)',
  });
}

/** The push-down needs a Neo4j URI, and cannot make approved plans (they carry a fingerprint of the whole graph). */
function checkPushDown(args: BackendArgs): string {
  if (args.graph === undefined || !isNeo4jUri(args.graph)) throw new UsageError('--backend neo4j needs --graph bolt://HOST:PORT or neo4j://HOST:PORT');
  if (args.mapping !== undefined) throw new UsageError('--backend neo4j reads the graph from Neo4j: drop --mapping');
  if (args.out !== undefined || args.waves !== undefined) {
    throw new UsageError(
      '--out and --waves write an approved plan, which carries the fingerprint of the whole graph: use --graph bolt://… without --backend neo4j',
    );
  }
  return args.graph;
}

/** What a command needs from either backend: the result, and a graph on which the pictures can be drawn. */
export interface Planned<T> {
  value: T;
  graph: GraphIndex;
}

export async function planOnBackend(args: BackendArgs, roots: readonly string[], options: PlanOptions): Promise<Planned<PlanResult>> {
  if (args.backend === 'neo4j') {
    const uri = checkPushDown(args);
    const [{ withNeo4j }, { planInNeo4jWithStats }] = await Promise.all([import('../store/neo4j/connect.js'), import('../app/neo4j-push-down.js')]);
    const { result, graph } = await withNeo4j(neo4jTarget(uri, args), 'planning', (conn) => planInNeo4jWithStats(conn, roots, options));
    return { value: result, graph };
  }
  const graph = await loadGraphArg(args);
  return { value: plan(graph, roots, options), graph };
}

export async function checkOnBackend(args: BackendArgs, manifest: Manifest, opts: ManifestCheckOptions): Promise<Planned<ManifestCheck>> {
  if (args.backend === 'neo4j') {
    const uri = checkPushDown(args);
    const [{ withNeo4j }, { neighbourhoodInNeo4j, assertSameClosure }] = await Promise.all([
      import('../store/neo4j/connect.js'),
      import('../app/neo4j-push-down.js'),
    ]);
    const hood = await withNeo4j(neo4jTarget(uri, args), 'checking', (conn) =>
      neighbourhoodInNeo4j(conn, { targets: manifest.targets, select: manifest.select }),
    );
    const value = checkManifest(hood.graph, manifest, opts);
    assertSameClosure(hood, value.result);
    return { value, graph: hood.graph };
  }
  const graph = await loadGraphArg(args);
  return { value: checkManifest(graph, manifest, opts), graph };
}
