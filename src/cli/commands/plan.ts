// `blastguard plan <ids…>`: what would deleting these entities take down?
import type { Argv } from 'yargs';
import type { Io } from '../io.js';
import { backendFor, backendOption, wantsStamp, type BackendName } from '../neo4j.js';
import { UsageError } from '../../model/errors.js';
import { dashedIds, emitPlan, ex, graphOptions, planOutOptions, planOutput, signingKey, type PlanOutArgs, waveSpec } from './shared.js';

interface PlanArgs extends PlanOutArgs {
  backend: BackendName;
  ids?: string[];
  allowBoundaryDeletion: boolean;
}

export function planCommand(io: Io, setExit: (code: number) => void) {
  return {
    // [ids..], not <ids..>: yargs does not count the IDs after `--` (see dashedIds), so the demand is checked here.
    command: 'plan [ids..]',
    describe: 'Show what deleting these entities would take down',
    builder: (y: Argv) =>
      backendOption(planOutOptions(graphOptions(y, 'plan')))
        .positional('ids', {
          type: 'string',
          array: true,
          // No default shown: yargs would print "[default: []]" for an argument that must be given.
          default: undefined,
          describe: 'IDs of the entities to delete, at least one (after --, an ID may begin with -)',
        })
        .option('allow-boundary-deletion', { type: 'boolean', default: false, describe: 'Do not flag deleting boundary entities (sites)' })
        .example(ex('$0 plan app-install:acme-prod/jsm/legacy-asset-mgmt --graph samples/tenant.json', 'what would removing one app installation delete?'))
        .example(ex('$0 plan ID… --graph snap.json --out plan.json --waves 1,10,rest', 'write the approved plan, in canary waves'))
        .example(ex('$0 plan --graph snap.json -- -odd-id', 'an ID that begins with "-" goes after --')),
    handler: async (args: PlanArgs) => {
      const ids = dashedIds(args.ids, args);
      if (ids.length === 0) throw new UsageError('Name at least one ID to delete (an ID that begins with "-" goes after --).');
      waveSpec(args);
      const out = await planOutput(args);
      const signKey = signingKey(args);
      const options = { intent: { allowBoundaryDeletion: args.allowBoundaryDeletion } };
      const { value: result, graph, snapshot } = await backendFor(args).plan(ids, { ...options, stamp: wantsStamp(args) });
      const request = { roots: 'listed' as const, intent: options.intent, limits: {} };
      setExit(await emitPlan(result, args, io, { graph, snapshot, planOptions: options, request, signKey, out }));
    },
  };
}
