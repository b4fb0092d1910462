// --backend: where plan and check compute a plan — in memory (on a file, or on a database read into memory), or
// pushed down into Neo4j (--backend neo4j) or PostgreSQL (--backend postgres). The backends themselves are the application layer's (src/app/backend.ts);
// here, only which one the command line asks for, and what it refuses.
import type { Argv } from 'yargs';
import { BACKENDS, graphSourceKind, memoryBackend, neo4jBackend, postgresBackend, type Backend, type BackendName } from '../app/index.js';
import { UsageError } from '../model/errors.js';
import { loadGraphArg, neo4jTarget, warnLine, type GraphArgs } from './io.js';

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
    describe: 'Where the plan is computed: in memory, inside Neo4j (with --graph bolt://… or neo4j://…), or inside PostgreSQL (with --graph postgres://…)',
  });
}

/**
 * A push-down needs its database's URI. With Neo4j, approved plans (--out, --waves) are made too: their snapshot
 * fingerprint is computed from the database (src/app/neo4j-fingerprint.ts), not from the part of the graph the plan
 * brings back; PostgreSQL's push-down cannot make them yet.
 */
function checkPushDown(args: BackendArgs, kind: 'neo4j' | 'postgres'): string {
  const uri = kind === 'neo4j' ? 'bolt://HOST:PORT or neo4j://HOST:PORT' : 'postgres://USER@HOST:PORT/DATABASE';
  if (args.graph === undefined || graphSourceKind(args.graph) !== kind) throw new UsageError(`--backend ${kind} needs --graph ${uri}`);
  if (args.mapping !== undefined) throw new UsageError(`--backend ${kind} reads the graph from ${kind === 'neo4j' ? 'Neo4j' : 'PostgreSQL'}: drop --mapping`);
  if (kind === 'postgres' && (args.out !== undefined || args.waves !== undefined)) {
    throw new UsageError(
      '--out and --waves write an approved plan, which carries the fingerprint of the whole graph: use --graph postgres://… without --backend postgres',
    );
  }
  return args.graph;
}

/** The backend --backend names, on the graph --graph/--mapping name (read only when the backend first needs it). */
export function backendFor(args: BackendArgs): Backend {
  if (args.backend === 'neo4j') return neo4jBackend(neo4jTarget(checkPushDown(args, 'neo4j'), args));
  if (args.backend === 'postgres') {
    const uri = checkPushDown(args, 'postgres');
    return postgresBackend({ uri, overlay: args.overlay, warn: warnLine });
  }
  return memoryBackend(() => loadGraphArg(args));
}
