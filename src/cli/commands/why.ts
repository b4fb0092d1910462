// `blastguard why ID --roots IDS…`: the chain of relations that makes ID part of a plan.
import type { Argv } from 'yargs';
import { UsageError } from '../../model/errors.js';
import { explain, whyPieces } from '../../report/why.js';
import type { FormatOf } from '../../report/formats.js';
import { emit, EXIT, type Io } from '../io.js';
import { backendFor, backendOption, type BackendName } from '../neo4j.js';
import { dashedIds, ex, graphOptions, type CommonArgs } from './shared.js';

interface WhyArgs extends Omit<CommonArgs, 'format'> {
  /** Text only: the pictures (dot, mermaid, graphology) draw a plan, not an answer about one entity. */
  format: FormatOf<'why'>;
  backend: BackendName;
  id?: string;
  roots: string[];
}

export function whyCommand(io: Io, setExit: (code: number) => void) {
  return {
    // [id], not <id>: an ID that begins with "-" comes after `--`, where yargs does not look (see dashedIds).
    command: 'why [id]',
    describe: 'Explain why an entity is (or is not) part of a deletion; exit 1 when it is unaffected',
    builder: (y: Argv) =>
      backendOption(graphOptions(y, 'why'))
        .positional('id', { type: 'string', describe: 'The entity to explain (after --, it may begin with -)' })
        .option('roots', { alias: 'r', type: 'string', array: true, demandOption: true, describe: 'IDs of the entities being deleted' })
        .example(ex('$0 why user:raj.patel@acme.com --roots site:acme-prod --graph samples/tenant.json', 'why would this user be deleted with the site?'))
        .example(ex('$0 why user:raj.patel@acme.com --roots site:acme-prod --graph bolt://localhost:7687 --backend neo4j', 'computed inside Neo4j')),
    handler: async (args: WhyArgs) => {
      const given = dashedIds(args.id === undefined ? [] : [args.id], args);
      if (given.length !== 1)
        throw new UsageError(
          given.length ? `why explains one entity (got ${given.length})` : 'Name the entity to explain (an ID that begins with "-" goes after --).',
        );
      const id = given[0];
      const { result, known } = await backendFor(args).explain(id, args.roots.map(String), { intent: { allowBoundaryDeletion: true } });
      const answer = explain(result, id, known);
      setExit(answer.status === 'unaffected' || answer.status === 'unknown' ? EXIT.violations : EXIT.pass);
      await emit(io, whyPieces(answer, args.format, { color: io.color, full: args.full, width: io.width }));
    },
  };
}
