// --backend: where plan, check and why compute a plan — in memory (on a file, or on a database read into memory), or
// pushed down into a database (neo4j, postgres: the sources with a `pushDown` in src/app/sources.ts). The backends
// and their choice are the application layer's (src/app/backend.ts, backendOn); here, only which one the command
// line asks for, and what it refuses.
import type { Argv } from 'yargs';
import {
  backendOn,
  backendsHelp,
  BACKENDS,
  memoryBackend,
  graphSourceOf,
  pushDownSource,
  type Backend,
  type BackendName,
  type PushDownName,
} from '../app/index.js';
import { UsageError } from '../model/errors.js';
import { loadGraphArg, sourceOptions, type GraphArgs } from './io.js';

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
    describe: backendsHelp(),
  });
}

/**
 * A push-down needs its database's URI (the entry of the table of graph sources whose `pushDown` the backend is), no
 * --mapping, and, for --out and --waves, a push-down that makes approved plans: their snapshot fingerprint is the
 * whole graph's (Neo4j computes it in the database, src/app/neo4j-fingerprint.ts; PostgreSQL's push-down cannot yet).
 */
function checkPushDown(args: BackendArgs, name: PushDownName): string {
  const entry = pushDownSource(name);
  if (args.graph === undefined || graphSourceOf(args.graph) !== entry) throw new UsageError(`--backend ${name} needs --graph ${entry.pushDown.needs}`);
  if (args.mapping !== undefined) throw new UsageError(`--backend ${name} reads the graph from ${entry.title}: drop --mapping`);
  if (!entry.pushDown.approves && wantsStamp(args)) {
    throw new UsageError(
      `--out and --waves write an approved plan, which carries the fingerprint of the whole graph: use --graph ${entry.scheme}… without --backend ${name}`,
    );
  }
  return args.graph;
}

/**
 * The backend --backend names, on the graph --graph/--mapping name: in memory, the graph read (by loadGraphArg, with
 * its checks and progress display) only when the backend first needs it, so a command's input errors keep their
 * order; else the push-down the application layer chooses by name (backendOn, from the table of graph sources).
 */
export function backendFor(args: BackendArgs): Backend {
  if (args.backend === undefined || args.backend === 'memory') return memoryBackend(() => loadGraphArg(args));
  const uri = checkPushDown(args, args.backend);
  return backendOn(args.backend, uri, sourceOptions(uri, args));
}
