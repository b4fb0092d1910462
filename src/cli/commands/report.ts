// `blastguard report (IDS… | MANIFEST) --graph FILE --out report.html`: the plan as one self-contained HTML page.
import { statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { loadManifestFile, manifestRehearsal, memoryBackend } from '../../app/index.js';
import { UsageError } from '../../model/errors.js';
import { planHtmlPieces } from '../../report/html.js';
import { loadClientBundle } from '../client-bundle.js';
import { emit, EXIT, loadGraphArg, type Io, type Neo4jArgs } from '../io.js';
import { openOutput, type OutputInput } from '../outputs.js';
import { dashedIds, ex, GRAPH_HELP, manifestInputs, neo4jOptions } from './shared.js';

interface ReportArgs extends Neo4jArgs {
  targets?: string[];
  graph: string;
  out?: string;
  title?: string;
  allowBoundaryDeletion: boolean;
}

/** One argument naming an existing .yaml/.yml/.json file is a manifest; anything else is a list of IDs. */
export function isManifestArg(targets: string[]): boolean {
  if (targets.length !== 1 || !/\.(ya?ml|json)(\.gz)?$/i.test(targets[0])) return false;
  try {
    return statSync(targets[0]).isFile();
  } catch {
    return false;
  }
}

export function reportCommand(io: Io, setExit: (code: number) => void) {
  return {
    // [targets..], not <targets..>: IDs that begin with "-" come after `--`, where yargs does not look (dashedIds).
    command: 'report [targets..]',
    describe: 'Write the plan of a deletion (entity IDs, or a manifest file) as a self-contained interactive HTML page',
    builder: (y: Argv) =>
      neo4jOptions(y)
        .positional('targets', {
          type: 'string',
          array: true,
          default: undefined, // not "[default: []]": IDs or a manifest must be given
          describe: 'IDs of the entities to delete (after --, an ID may begin with -), or one manifest file; required',
        })
        .option('graph', {
          alias: 'g',
          type: 'string',
          demandOption: true,
          requiresArg: true,
          describe: GRAPH_HELP,
        })
        .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'The HTML file to write (atomically); default (or "-"): stdout' })
        .option('title', { type: 'string', requiresArg: true, describe: 'Title of the page' })
        .option('allow-boundary-deletion', { type: 'boolean', default: false, describe: 'With IDs: do not flag deleting boundary entities (sites)' })
        .example(ex('$0 report samples/manifests/incident-replay.yaml --graph samples/tenant.json --out report.html', 'the 2022 incident as a picture')),
    handler: async (args: ReportArgs) => {
      const targets = dashedIds(args.targets, args);
      if (targets.length === 0) throw new UsageError('Name the entities to delete, or one manifest file (an ID that begins with "-" goes after --).');
      const loaded = isManifestArg(targets) ? loadManifestFile(targets[0]) : undefined;
      const inputs: OutputInput[] = loaded ? manifestInputs(targets[0], loaded.manifest.rehearsal) : [];
      const out = await openOutput(args.out, { option: '--out', stdout: true, inputs, graphArgs: { graph: args.graph } });
      const graph = await loadGraphArg(args.graph, args);
      const backend = memoryBackend(graph);
      let result;
      let title = args.title;
      let subtitle: string | undefined;
      if (loaded) {
        const { manifest, lineOf } = loaded;
        // The same rules as `check` (select, target-mismatch, mode).
        const rehearsal = manifestRehearsal(manifest, { manifestFile: targets[0], line: lineOf(['rehearsal']) });
        result = (await backend.check(manifest, { rehearsal })).value.result;
        title ??= targets[0];
        subtitle = manifest.description;
      } else {
        result = (await backend.plan(targets, { intent: { allowBoundaryDeletion: args.allowBoundaryDeletion } })).value;
      }
      setExit(result.verdict === 'pass' ? EXIT.pass : EXIT.violations); // before the page streams
      const html = planHtmlPieces(result, graph, { title, subtitle, bundle: loadClientBundle() });
      if (out && !out.isStdout) {
        await out.write(html);
        io.stderr(
          `${result.verdict === 'pass' ? 'pass' : 'FAIL'}: ${result.summary.deleted} entities, ${result.violations.length} violations; report written to ${args.out}\n`,
        );
      } else await emit(io, html);
    },
  };
}
