// plan and check on either backend: in memory (on a file, or on a Neo4j graph read into memory), or pushed down
// into Neo4j. The driver is loaded only when a Neo4j URI is used.
import type { Argv } from 'yargs';
import { plan, type PlanOptions } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import { UsageError } from '../model/errors.js';
import { isNeo4jUri } from '../store/neo4j/names.js';
import { loadGraphArg, neo4jTarget } from './io.js';

export const BACKENDS = ['memory', 'neo4j'] as const;
export type Backend = (typeof BACKENDS)[number];

export function backendOption<T>(y: Argv<T>) {
  return y.option('backend', {
    choices: BACKENDS,
    default: 'memory' as Backend,
    describe: 'Where the plan is computed: in memory, or inside Neo4j (needs --graph bolt://… or neo4j://…)',
  });
}

/** Plans on the chosen backend: in memory on the graph --graph names, or pushed down into the Neo4j it names. */
export async function planOnBackend(
  args: { graph: string; backend?: Backend; neo4jUser?: string },
  roots: readonly string[],
  options: PlanOptions,
): Promise<PlanResult> {
  if (args.backend === 'neo4j') {
    if (!isNeo4jUri(args.graph)) throw new UsageError('--backend neo4j needs --graph bolt://HOST:PORT or neo4j://HOST:PORT');
    const [{ withNeo4j }, { planInNeo4j }] = await Promise.all([import('../store/neo4j/connect.js'), import('../store/neo4j/plan.js')]);
    return withNeo4j(neo4jTarget(args.graph, args), 'planning', (conn) => planInNeo4j(conn, roots, options));
  }
  return plan(await loadGraphArg(args.graph, args), roots, options);
}
