// `ingest … --to neo4j-import --out DIR`: the graph as the CSV files `neo4j-admin database import full` reads, and
// the exact command that imports them (printed on stdout, so a script can run it; the summary goes to stderr).
import { UsageError } from '../../model/errors.js';
import { writeNeo4jImportFiles } from '../../app/index.js';
import { EXIT, loadGraphWithStats, type GraphArgs, type Io } from '../io.js';
import type { IngestStats } from '../../app/index.js';

interface ImportArgs extends GraphArgs {
  out?: string;
  neo4jUri?: string;
  neo4jDatabase?: string;
  batchSize?: number;
  prune: boolean;
  quiet: boolean;
}

/** `summary` is ingest's summary of what was read (passed in: ingest.ts imports this module). */
export async function ingestToImportFiles(
  args: ImportArgs,
  io: Io,
  setExit: (code: number) => void,
  summary: (stats: IngestStats, out: undefined, destination: string) => string,
): Promise<void> {
  if (args.out === undefined || args.out === '-') throw new UsageError('--to neo4j-import needs --out DIR (the directory for the CSV files).');
  if (args.neo4jUri !== undefined || args.batchSize !== undefined || args.prune) {
    throw new UsageError('--to neo4j-import writes files for neo4j-admin: --neo4j-uri, --batch-size and --prune go with --to neo4j.');
  }
  const { graph, stats } = await loadGraphWithStats(args);
  const written = await writeNeo4jImportFiles(graph, args.out, { source: args.graph ?? args.mapping, database: args.neo4jDatabase });
  const n = (x: number) => x.toLocaleString('en-US');
  if (!args.quiet) {
    io.stderr(
      summary(
        stats,
        undefined,
        `wrote ${n(written.entities)} entities and ${n(written.relations)} relations as ${n(written.files)} CSV files (${(written.bytes / 2 ** 20).toFixed(1)} MiB) to ${args.out} in ${written.seconds.toFixed(2)} s\n` +
          `import them with the server stopped (this replaces the database), then start it and create the constraints:\n` +
          `  cypher-shell -f ${written.constraintsFile}`,
      ),
    );
  }
  io.stdout(`${written.command}\n`);
  setExit(EXIT.pass);
}
