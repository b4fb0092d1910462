// `blastguard plan <ids…>`: what would deleting these entities take down?
import type { Argv } from 'yargs';
import { plan } from '../../engine/plan.js';
import { loadGraphArg, type Io } from '../io.js';
import { emitPlan, graphOptions, type CommonArgs } from './shared.js';

interface PlanArgs extends CommonArgs {
  ids: string[];
  allowBoundaryDeletion: boolean;
}

export function planCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'plan <ids..>',
    describe: 'Show what deleting these entities would take down',
    builder: (y: Argv) =>
      graphOptions(y)
        .positional('ids', { type: 'string', array: true, demandOption: true, describe: 'IDs of the entities to delete' })
        .option('allow-boundary-deletion', { type: 'boolean', default: false, describe: 'Do not flag deleting boundary entities (sites)' })
        .example('$0 plan app-install:acme-lam --graph samples/tenant.json', 'what would removing one app installation delete?'),
    handler: async (args: PlanArgs) => {
      const graph = await loadGraphArg(args);
      const result = plan(graph, args.ids.map(String), { intent: { allowBoundaryDeletion: args.allowBoundaryDeletion } });
      setExit(emitPlan(result, args, io, undefined, graph));
    },
  };
}
