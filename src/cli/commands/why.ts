// `blastguard why ID --roots IDS…`: the chain of relations that makes ID part of a plan.
import type { Argv } from 'yargs';
import { plan } from '../../app/index.js';
import { UsageError } from '../../model/errors.js';
import { explain, whyPieces } from '../../report/why.js';
import type { FormatOf } from '../../report/formats.js';
import { emit, EXIT, loadGraphArg, type Io } from '../io.js';
import { dashedIds, ex, graphOptions, type CommonArgs } from './shared.js';

interface WhyArgs extends Omit<CommonArgs, 'format'> {
  /** Text only: the pictures (dot, mermaid, graphology) draw a plan, not an answer about one entity. */
  format: FormatOf<'why'>;
  id?: string;
  roots: string[];
}

export function whyCommand(io: Io, setExit: (code: number) => void) {
  return {
    // [id], not <id>: an ID that begins with "-" comes after `--`, where yargs does not look (see dashedIds).
    command: 'why [id]',
    describe: 'Explain why an entity is (or is not) part of a deletion; exit 1 when it is unaffected',
    builder: (y: Argv) =>
      graphOptions(y, 'why')
        .positional('id', { type: 'string', describe: 'The entity to explain (after --, it may begin with -)' })
        .option('roots', { alias: 'r', type: 'string', array: true, demandOption: true, describe: 'IDs of the entities being deleted' })
        .example(ex('$0 why user:raj.patel@acme.com --roots site:acme-prod --graph samples/tenant.json', 'why would this user be deleted with the site?')),
    handler: async (args: WhyArgs) => {
      const given = dashedIds(args.id === undefined ? [] : [args.id], args);
      if (given.length !== 1)
        throw new UsageError(
          given.length ? `why explains one entity (got ${given.length})` : 'Name the entity to explain (an ID that begins with "-" goes after --).',
        );
      const id = given[0];
      const graph = await loadGraphArg(args);
      const result = plan(graph, args.roots.map(String), { intent: { allowBoundaryDeletion: true } });
      const answer = explain(result, id, graph.indexOf(id) >= 0);
      setExit(answer.status === 'unaffected' || answer.status === 'unknown' ? EXIT.violations : EXIT.pass);
      await emit(io, whyPieces(answer, args.format, { color: io.color, full: args.full, width: io.width }));
    },
  };
}
