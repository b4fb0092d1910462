// `blastguard why ID --roots IDS…`: the chain of relations that makes ID part of a plan.
import type { Argv } from 'yargs';
import { plan } from '../../engine/plan.js';
import { UsageError } from '../../model/errors.js';
import { explain, whyPieces } from '../../report/why.js';
import { emit, EXIT, loadGraphArg, type Io } from '../io.js';
import { graphOptions, type CommonArgs } from './shared.js';

interface WhyArgs extends Omit<CommonArgs, 'format'> {
  format: 'human' | 'json' | 'markdown';
  id: string;
  roots: string[];
}

export function whyCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'why <id>',
    describe: 'Explain why an entity is (or is not) part of a deletion; exit 1 when it is unaffected',
    builder: (y: Argv) =>
      graphOptions(y)
        .option('format', { alias: 'f', choices: ['human', 'json', 'markdown'] as const, default: 'human' as const, describe: 'Output format' })
        .positional('id', { type: 'string', demandOption: true, describe: 'The entity to explain' })
        .option('roots', { alias: 'r', type: 'string', array: true, demandOption: true, describe: 'IDs of the entities being deleted' })
        .example('$0 why user:dana --roots site:acme-prod --graph samples/tenant.json', 'why would this user be deleted?'),
    handler: async (args: WhyArgs) => {
      // The pictures (dot, mermaid, graphology) draw a plan; an answer about one entity is text.
      if (!['human', 'json', 'markdown'].includes(args.format)) throw new UsageError(`why has no --format ${args.format}: use human, json or markdown`);
      const graph = await loadGraphArg(args);
      const id = String(args.id);
      const result = plan(graph, args.roots.map(String), { intent: { allowBoundaryDeletion: true } });
      const answer = explain(result, id, graph.indexOf(id) >= 0);
      setExit(answer.status === 'unaffected' || answer.status === 'unknown' ? EXIT.violations : EXIT.pass);
      await emit(io, whyPieces(answer, args.format, { color: io.color, full: args.full }));
    },
  };
}
