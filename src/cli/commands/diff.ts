// `blastguard diff --before A --after B`: what a schema or data change does to deletions (for the pull request).
import type { Argv } from 'yargs';
import { diffGraphs } from '../../app/index.js';
import { UsageError } from '../../model/errors.js';
import { renderDiffPieces, type DiffFormat } from '../../report/audit-formats.js';
import { emit, EXIT, loadGraphArg, type Io, type Neo4jArgs } from '../io.js';
import { openOutput } from '../outputs.js';
import { ex, formatOption, neo4jOptions } from './shared.js';

interface DiffArgs extends Neo4jArgs {
  before: string;
  after: string;
  format: DiffFormat;
  out?: string;
  full: boolean;
  failOnGrowth?: number;
}

export function diffCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'diff',
    describe: "Compare two snapshots: each site's blast radius, onDelete changes, new and removed risks; exit 1 with --fail-on-growth",
    builder: (y: Argv) =>
      neo4jOptions(y)
        .option('before', { alias: 'b', type: 'string', demandOption: true, requiresArg: true, describe: 'Snapshot before the change' })
        .option('after', { alias: 'a', type: 'string', demandOption: true, requiresArg: true, describe: 'Snapshot after the change' })
        .option('format', formatOption('diff'))
        .option('out', {
          alias: 'o',
          type: 'string',
          requiresArg: true,
          describe: 'Write the report to this file (atomically) instead of stdout ("-": stdout)',
        })
        .option('full', { type: 'boolean', default: false, describe: 'Show every site and finding instead of cutting long lists' })
        .option('fail-on-growth', { type: 'number', requiresArg: true, describe: "Exit 1 when any site's blast radius grows by more than this many percent" })
        .example(ex('$0 diff --before main.json --after branch.json --fail-on-growth 10', 'CI for a pull request that changes the schema')),
    handler: async (args: DiffArgs) => {
      const pct = args.failOnGrowth;
      if (pct !== undefined && !(Number.isFinite(pct) && pct >= 0)) throw new UsageError('--fail-on-growth must be a number of percent, 0 or more');
      const inputs = [
        { path: args.before, role: 'the --before snapshot' },
        { path: args.after, role: 'the --after snapshot' },
      ];
      const out = await openOutput(args.out, { option: '--out', stdout: true, inputs });
      const result = await diffGraphs(
        () => loadGraphArg(args.before, args),
        () => loadGraphArg(args.after, args),
        { failOnGrowth: pct },
      );
      setExit(result.gate?.verdict === 'fail' ? EXIT.violations : EXIT.pass); // before the report streams
      const toFile = out !== undefined && !out.isStdout;
      const text = renderDiffPieces(result, args.format, {
        color: io.color && !toFile,
        full: args.full,
        title: `${args.before} → ${args.after}`,
        width: toFile ? undefined : io.width,
      });
      if (toFile) {
        await out.write(text);
        io.stderr(`${result.gate ? `${result.gate.verdict === 'pass' ? 'pass' : 'FAIL'}: ` : ''}diff written to ${args.out}\n`);
      } else await emit(io, text);
    },
  };
}
