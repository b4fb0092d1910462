// Options and output handling shared by the plan, check and why commands.
import type { Argv } from 'yargs';
import type { PlanResult } from '../../engine/result.js';
import { PLAN_FORMATS, renderPlan, type PlanFormat } from '../../report/index.js';
import { EXIT, writeAtomic, type Io } from '../io.js';

export interface CommonArgs {
  graph: string;
  neo4jUser?: string;
  format: PlanFormat;
  full: boolean;
  out?: string;
}

export function graphOptions<T>(y: Argv<T>) {
  return y
    .option('graph', { alias: 'g', type: 'string', demandOption: true, describe: 'Snapshot file (.json or .json.gz), or a Neo4j URI (bolt://…, neo4j://…)', requiresArg: true })
    .option('neo4j-user', { type: 'string', requiresArg: true, describe: 'Neo4j user (default neo4j); the password is read from NEO4J_PASSWORD' })
    .option('format', { alias: 'f', choices: PLAN_FORMATS, default: 'human' as PlanFormat, describe: 'Output format' })
    .option('full', { type: 'boolean', default: false, describe: 'Show every entity instead of cutting long lists' })
    .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to this file (atomically) instead of stdout' });
}

/** Renders a plan, writes it where asked, and returns the exit code. */
export function emitPlan(result: PlanResult, args: CommonArgs, io: Io, title?: string): number {
  const toFile = args.out !== undefined;
  const text = renderPlan(result, args.format, { color: io.color && !toFile, full: args.full, title });
  if (toFile) {
    writeAtomic(args.out!, text);
    io.stderr(`${result.verdict === 'pass' ? 'pass' : 'FAIL'}: ${result.summary.deleted} entities, ${result.violations.length} violations; report written to ${args.out}\n`);
  } else io.stdout(text);
  return result.verdict === 'pass' ? EXIT.pass : EXIT.violations;
}
