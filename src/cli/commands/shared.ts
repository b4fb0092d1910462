// Options and output handling shared by the plan, check and why commands.
import type { Argv } from 'yargs';
import type { PlanResult } from '../../engine/result.js';
import type { GraphIndex } from '../../store/compact.js';
import { PLAN_FORMATS, renderPlan, type PlanFormat } from '../../report/index.js';
import { EXIT, writeAtomic, type Io } from '../io.js';

export interface CommonArgs {
  graph?: string;
  mapping?: string;
  allowDangling?: boolean;
  quiet?: boolean;
  format: PlanFormat;
  full: boolean;
  out?: string;
}

export function graphOptions<T>(y: Argv<T>) {
  return y
    .option('graph', { alias: 'g', type: 'string', describe: 'Graph file: snapshot .json or .ndjson (.gz too), or graphology JSON', requiresArg: true })
    .option('mapping', { alias: 'm', type: 'string', describe: 'Read raw exports through this mapping file instead of --graph', requiresArg: true })
    .option('allow-dangling', { type: 'boolean', default: false, describe: 'Drop references to missing entities instead of failing' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress display while loading' })
    .option('format', { alias: 'f', choices: PLAN_FORMATS, default: 'human' as PlanFormat, describe: 'Output format' })
    .option('full', { type: 'boolean', default: false, describe: 'Show every entity instead of cutting long lists' })
    .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'Write the report to this file (atomically) instead of stdout' });
}

/** Renders a plan, writes it where asked, and returns the exit code. */
export function emitPlan(result: PlanResult, args: CommonArgs, io: Io, title?: string, graph?: GraphIndex): number {
  const toFile = args.out !== undefined;
  const text = renderPlan(result, args.format, { color: io.color && !toFile, full: args.full, title, graph });
  if (toFile) {
    writeAtomic(args.out!, text);
    io.stderr(`${result.verdict === 'pass' ? 'pass' : 'FAIL'}: ${result.summary.deleted} entities, ${result.violations.length} violations; report written to ${args.out}\n`);
  } else io.stdout(text);
  return result.verdict === 'pass' ? EXIT.pass : EXIT.violations;
}
