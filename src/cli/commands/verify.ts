// `blastguard verify --plan plan.json --ids FILE|-`: the last check before a script deletes.
import type { Argv } from 'yargs';
import { verifyDeletion, type VerifyScope } from '../../app/index.js';
import { UsageError } from '../../model/errors.js';
import { renderVerify } from '../../report/verify.js';
import { EXIT, loadGraphArg, type Io, type Neo4jArgs } from '../io.js';
import { ex, formatOption, neo4jOptions } from './shared.js';
import type { FormatOf } from '../../report/formats.js';

interface VerifyArgs extends Neo4jArgs {
  plan: string;
  ids: string;
  wave?: number;
  graph?: string;
  scope: VerifyScope;
  trustKey?: string[];
  format: FormatOf<'verify'>;
  full: boolean;
}

export function verifyCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'verify',
    describe: 'Exit 0 only if the IDs a script is about to delete are exactly those of an approved plan (or one wave of it)',
    builder: (y: Argv) =>
      neo4jOptions(y)
        .option('plan', { alias: 'p', type: 'string', demandOption: true, requiresArg: true, describe: 'Approved plan (written by plan|check --out)' })
        .option('ids', {
          alias: 'i',
          type: 'string',
          demandOption: true,
          requiresArg: true,
          describe: 'The IDs about to be deleted: a file (one per line, or a JSON array), or - for stdin',
        })
        .option('wave', { alias: 'w', type: 'number', requiresArg: true, describe: 'Check only this wave (1-based) of a plan made with --waves' })
        .option('graph', {
          alias: 'g',
          type: 'string',
          requiresArg: true,
          describe:
            'Current snapshot: refuse a plan made on another one (stale), and recompute the plan on it, refusing one that does not follow from its own request (forged). Without it, only the digest is checked',
        })
        .option('trust-key', {
          type: 'string',
          array: true,
          requiresArg: true,
          describe: 'Ed25519 public key (PEM) of the CI that signs plans; repeatable. Refuse a plan not signed by one of them',
        })
        .option('scope', {
          choices: ['roots', 'deleted'] as const,
          default: 'roots' as VerifyScope,
          describe: 'Compare with the targets (the IDs the script passes to its delete call) or with every deleted entity',
        })
        .option('format', formatOption('verify'))
        .option('full', { type: 'boolean', default: false, describe: 'List every differing ID' })
        .example(ex('$0 verify --plan plan.json --ids ids.txt --graph snapshot.json', 'may the script delete ids.txt?'))
        .example(ex('script --dry-run | $0 verify --plan plan.json --ids - --wave 1', 'check the first canary wave from stdin'))
        .example(ex('$0 verify --plan plan.json --ids ids.txt --graph snapshot.json --trust-key ci.pub.pem', 'and only a plan CI signed')),
    handler: async (args: VerifyArgs) => {
      if (args.wave !== undefined && (!Number.isSafeInteger(args.wave) || args.wave < 1))
        throw new UsageError(`--wave must be a whole number from 1 (got ${String(args.wave)})`);
      const graph = args.graph;
      const r = await verifyDeletion({
        plan: args.plan,
        ids: args.ids,
        graph: graph !== undefined ? () => loadGraphArg(graph, args) : undefined,
        trustKeys: args.trustKey?.map(String),
        wave: args.wave,
        scope: args.scope,
      });
      if (r.reasons.includes('no-such-wave')) throw new UsageError(r.problems.find((p) => p.includes('wave')) ?? 'no such wave');
      io.stdout(renderVerify(r, args.format, { planFile: args.plan, color: io.color, full: args.full, width: io.width }));
      setExit(r.ok ? EXIT.pass : EXIT.violations);
    },
  };
}
