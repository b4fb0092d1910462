// `blastguard why ID --roots IDS…`: the chain of relations that makes ID part of a plan.
import type { Argv } from 'yargs';
import { plan } from '../../engine/plan.js';
import { explain, renderWhy } from '../../report/why.js';
import { EXIT, loadGraphArg, writeAtomic, type Io } from '../io.js';
import { graphOptions, type CommonArgs } from './shared.js';

interface WhyArgs extends CommonArgs {
  id: string;
  roots: string[];
}

export function whyCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'why <id>',
    describe: 'Explain why an entity is (or is not) part of a deletion; exit 1 when it is unaffected',
    builder: (y: Argv) =>
      graphOptions(y)
        .positional('id', { type: 'string', demandOption: true, describe: 'The entity to explain' })
        .option('roots', { alias: 'r', type: 'string', array: true, demandOption: true, describe: 'IDs of the entities being deleted' })
        .example('$0 why user:dana --roots site:acme-prod --graph samples/tenant.json', 'why would this user be deleted?'),
    handler: async (args: WhyArgs) => {
      const graph = await loadGraphArg(args.graph, args);
      const id = String(args.id);
      const result = plan(graph, args.roots.map(String), { intent: { allowBoundaryDeletion: true } });
      const answer = explain(result, id, graph.indexOf(id) >= 0);
      const text = renderWhy(answer, args.format, io.color && !args.out);
      if (args.out) writeAtomic(args.out, text);
      else io.stdout(text);
      setExit(answer.status === 'unaffected' || answer.status === 'unknown' ? EXIT.violations : EXIT.pass);
    },
  };
}
