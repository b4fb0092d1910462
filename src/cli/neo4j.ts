// --backend: where plan and check compute a plan — in memory (on a file, or on a database read into memory), or
// pushed down into Neo4j (--backend neo4j). The backends themselves are the application layer's (src/app/backend.ts);
// here, only which one the command line asks for, and what it refuses.
import type { Argv } from 'yargs';
import { BACKENDS, graphSourceKind, memoryBackend, neo4jBackend, type Backend, type BackendName } from '../app/index.js';
import { UsageError } from '../model/errors.js';
import { loadGraphArg, neo4jTarget, type GraphArgs } from './io.js';

export { BACKENDS, type BackendName };

export interface BackendArgs extends GraphArgs {
  backend?: BackendName;
  out?: string;
  waves?: string;
}

/** Whether the command makes an approved plan, which needs the stamp of the whole graph (Planned.snapshot). */
export function wantsStamp(args: BackendArgs): boolean {
  return args.out !== undefined || args.waves !== undefined;
}

export function backendOption<T>(y: Argv<T>) {
  return y.option('backend', {
    choices: BACKENDS,
    default: 'memory' as BackendName,
    describe: 'Where the plan is computed: in memory, or inside Neo4j (with --graph bolt://… or neo4j://…)',
  });
}

/**
 * The push-down needs a Neo4j URI. Approved plans (--out, --waves) are made too: their snapshot fingerprint is
 * computed from the database (src/app/neo4j-fingerprint.ts), not from the part of the graph the plan brings back.
 */
function checkPushDown(args: BackendArgs): string {
  if (args.graph === undefined || graphSourceKind(args.graph) !== 'neo4j')
    throw new UsageError('--backend neo4j needs --graph bolt://HOST:PORT or neo4j://HOST:PORT');
  if (args.mapping !== undefined) throw new UsageError('--backend neo4j reads the graph from Neo4j: drop --mapping');
  return args.graph;
}

/** The backend --backend names, on the graph --graph/--mapping name (read only when the backend first needs it). */
export function backendFor(args: BackendArgs): Backend {
  if (args.backend === 'neo4j') return neo4jBackend(neo4jTarget(checkPushDown(args), args));
  return memoryBackend(() => loadGraphArg(args));
}
