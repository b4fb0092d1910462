// `blastguard plan <ids…>`: what would deleting these entities take down?
import type { Argv } from 'yargs';
import type { Io } from '../io.js';
import { backendOption, planOnBackend, type Backend } from '../neo4j.js';
import { emitPlan, graphOptions, type CommonArgs } from './shared.js';

interface PlanArgs extends CommonArgs {
  backend: Backend;
  ids: string[];
  allowBoundaryDeletion: boolean;
}

export function planCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'plan <ids..>',
    describe: 'Show what deleting these entities would take down',
    builder: (y: Argv) =>
      backendOption(graphOptions(y))
        .positional('ids', { type: 'string', array: true, demandOption: true, describe: 'IDs of the entities to delete' })
        .option('allow-boundary-deletion', { type: 'boolean', default: false, describe: 'Do not flag deleting boundary entities (sites)' })
        .example('$0 plan app-install:acme-lam --graph samples/tenant.json', 'what would removing one app installation delete?'),
    handler: async (args: PlanArgs) => {
      const result = await planOnBackend(args, args.ids.map(String), { intent: { allowBoundaryDeletion: args.allowBoundaryDeletion } });
      setExit(emitPlan(result, args, io));
    },
  };
}
