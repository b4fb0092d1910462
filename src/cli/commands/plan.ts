// `blastguard plan <ids…>`: what would deleting these entities take down?
import type { Argv } from 'yargs';
import type { Io } from '../io.js';
import { backendOption, planOnBackend, type Backend } from '../neo4j.js';
import { emitPlan, graphOptions, planOutOptions, planOutput, waveSpec, type PlanOutArgs } from './shared.js';

interface PlanArgs extends PlanOutArgs {
  backend: Backend;
  ids: string[];
  allowBoundaryDeletion: boolean;
}

export function planCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'plan <ids..>',
    describe: 'Show what deleting these entities would take down',
    builder: (y: Argv) =>
      backendOption(planOutOptions(graphOptions(y)))
        .positional('ids', { type: 'string', array: true, demandOption: true, describe: 'IDs of the entities to delete' })
        .option('allow-boundary-deletion', { type: 'boolean', default: false, describe: 'Do not flag deleting boundary entities (sites)' })
        .example('$0 plan app-install:acme-prod/jsm/legacy-asset-mgmt --graph samples/tenant.json', 'what would removing one app installation delete?')
        .example('$0 plan ID… --graph snap.json --out plan.json --waves 1,10,rest', 'write the approved plan, in canary waves'),
    handler: async (args: PlanArgs) => {
      waveSpec(args);
      const out = await planOutput(args);
      const options = { intent: { allowBoundaryDeletion: args.allowBoundaryDeletion } };
      const { value: result, graph } = await planOnBackend(args, args.ids.map(String), options);
      setExit(await emitPlan(result, args, io, { graph, planOptions: options, out }));
    },
  };
}
