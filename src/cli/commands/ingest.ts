// `blastguard ingest --mapping FILE --out snapshot.json[.gz]`: raw exports → one snapshot, with counts and the time
// taken on stderr (stdout carries only the snapshot when --out is "-"). `--to neo4j --neo4j-uri bolt://HOST:PORT`
// writes the graph into Neo4j instead (batched, idempotent: a cut-off load run again converges); what the database
// holds beyond the load is counted, and removed with --prune.
import type { Argv } from 'yargs';
import { UsageError } from '../../model/errors.js';
import {
  assertNeo4jUri,
  binaryGraphFile,
  isBinaryGraphName,
  newProgress,
  redactUri,
  snapshotChunks,
  graphSourceKind,
  neo4jWriteBookmarks,
  writeGraphToNeo4j,
  type IngestStats,
  type SnapshotFormat,
} from '../../app/index.js';
import { emit, EXIT, loadGraphWithStats, neo4jTarget, type Io, type Neo4jArgs } from '../io.js';
import { openOutput } from '../outputs.js';
import { ex, GRAPH_HELP, neo4jOptions } from './shared.js';
import { showProgress } from '../progress.js';
import { checkAgainstCommand } from '../check-against.js';
import { ingestToImportFiles } from './ingest-neo4j-import.js';

interface IngestArgs extends Neo4jArgs {
  mapping?: string;
  graph?: string;
  out?: string;
  to?: SnapshotFormat | 'neo4j' | 'neo4j-import';
  neo4jUri?: string;
  batchSize?: number;
  prune: boolean;
  allowDangling: boolean;
  quiet: boolean;
  overlay?: string;
  checkAgainst?: string;
}

function table(counts: Record<string, number>): string {
  const names = Object.keys(counts);
  const w = Math.max(0, ...names.map((n) => n.length));
  const cw = Math.max(0, ...names.map((n) => counts[n].toLocaleString('en-US').length));
  return names.map((n) => `  ${n.padEnd(w)}  ${counts[n].toLocaleString('en-US').padStart(cw)}\n`).join('');
}

export function summary(stats: IngestStats, out: string | undefined, destination?: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  let s = `ingested ${n(stats.entities)} entities and ${n(stats.relations)} relations from ${n(stats.records)} records in ${n(stats.files)} file${stats.files === 1 ? '' : 's'} in ${stats.seconds.toFixed(2)} s\n`;
  if (stats.entities) s += `entities by type:\n${table(stats.entitiesByType)}`;
  if (stats.relations) s += `relations by type:\n${table(stats.relationsByType)}`;
  const dropped = Object.entries(stats.droppedDangling);
  if (dropped.length) {
    const total = dropped.reduce((a, [, c]) => a + c, 0);
    s += `dropped ${n(total)} reference${total === 1 ? '' : 's'} to missing entities (--allow-dangling):\n${table(Object.fromEntries(dropped))}`;
  }
  if (destination) s += `${destination}\n`;
  else if (out && out !== '-') s += `snapshot written to ${out}\n`;
  else if (!out) s += 'no --out given: nothing written\n';
  return s;
}

export function ingestCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'ingest',
    describe: 'Read raw exports (CSV, NDJSON, JSON, neo4j-admin CSV, graphology) through a mapping into one snapshot',
    builder: (y: Argv) =>
      neo4jOptions(y)
        .option('mapping', {
          alias: 'm',
          type: 'string',
          requiresArg: true,
          describe: 'Mapping file (YAML): the schema and how each export becomes entities and relations',
        })
        .option('graph', {
          alias: 'g',
          type: 'string',
          requiresArg: true,
          describe: `Or convert a graph. ${GRAPH_HELP}`,
        })
        .option('out', {
          alias: 'o',
          type: 'string',
          requiresArg: true,
          describe: 'Snapshot to write (.json, .ndjson, .gz for gzip; .bgraph for the binary graph file; "-" for stdout). Without it, only validate',
        })
        .option('to', {
          choices: ['json', 'ndjson', 'neo4j', 'neo4j-import'] as const,
          describe:
            'Snapshot format (default: from the --out name; JSON for "-"), neo4j to write into Neo4j, or neo4j-import to write the CSV files of neo4j-admin database import into the directory --out',
        })
        .option('neo4j-uri', { type: 'string', requiresArg: true, describe: 'With --to neo4j: bolt://HOST:PORT or neo4j://HOST:PORT' })
        .option('batch-size', {
          type: 'number',
          requiresArg: true,
          describe: 'With --to neo4j: rows per transaction (default 5000 into an empty database, 2000 when merging into a graph)',
        })
        .option('prune', {
          type: 'boolean',
          default: false,
          describe:
            'With --to neo4j: make the database hold exactly this graph (remove entities and relations earlier loads wrote that are not in this one, replace the schema)',
        })
        .option('allow-dangling', { type: 'boolean', default: false, describe: 'Drop references to missing entities (counted per source) instead of failing' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress display and no summary' })
        .option('check-against', {
          type: 'string',
          requiresArg: true,
          describe:
            "With --mapping: hold the mapping against a database's foreign keys (postgres://… or mysql://…); exit 1 when it would report less than the database deletes",
        })
        .example(ex('$0 ingest --mapping samples/exports/mapping.yaml --out tenant.json', 'turn the sample exports into a snapshot'))
        .example(ex('$0 ingest --graph samples/tenant.json --to neo4j --neo4j-uri bolt://localhost:7687', 'load a snapshot into Neo4j'))
        .example(
          ex('$0 ingest --graph today.json --to neo4j --neo4j-uri bolt://localhost:7687 --prune', 'reload it: what is gone from the snapshot goes from Neo4j'),
        ),
    handler: async (args: IngestArgs) => {
      if (args.mapping === undefined && args.graph === undefined) throw new UsageError('Missing --mapping FILE (or --graph FILE to convert a graph file).');
      if (args.checkAgainst !== undefined) return checkAgainstCommand(args, io, setExit);
      if (args.to === 'neo4j') return ingestToNeo4j(args, io, setExit);
      if (args.to === 'neo4j-import') return ingestToImportFiles(args, io, setExit, summary);
      if (args.neo4jUri !== undefined) throw new UsageError('--neo4j-uri goes with --to neo4j.');
      if (args.prune) throw new UsageError('--prune goes with --to neo4j.');
      const out = args.out;
      const name = (out ?? '').toLowerCase().replace(/\.gz$/, '');
      const format: SnapshotFormat = args.to ?? (name.endsWith('.ndjson') || name.endsWith('.jsonl') ? 'ndjson' : 'json');
      // Checked before reading: the snapshot must not replace the graph, the mapping or an export it names.
      const output = await openOutput(out, { option: '--out', stdout: true, graphArgs: args });
      const { graph, stats } = await loadGraphWithStats(args);
      if (output && out && isBinaryGraphName(out)) await output.writeBinary(binaryGraphFile(graph));
      else if (output?.isStdout) await emit(io, snapshotChunks(graph, format));
      else if (output) await output.write(snapshotChunks(graph, format), { gzip: /\.gz$/i.test(out!) });
      if (!args.quiet) io.stderr(summary(stats, out));
      setExit(EXIT.pass);
    },
  };
}

/** `ingest … --to neo4j`: reads the graph as for a snapshot, then writes it into Neo4j with a progress line. */
async function ingestToNeo4j(args: IngestArgs, io: Io, setExit: (code: number) => void): Promise<void> {
  if (args.neo4jUri === undefined) throw new UsageError('--to neo4j needs --neo4j-uri bolt://HOST:PORT (or neo4j://HOST:PORT).');
  if (args.out !== undefined) throw new UsageError('--to neo4j writes into Neo4j: drop --out (or run ingest twice).');
  if (args.batchSize !== undefined && (!Number.isInteger(args.batchSize) || args.batchSize < 1))
    throw new UsageError('--batch-size must be a positive integer.');
  assertNeo4jUri(args.neo4jUri, '--neo4j-uri');
  // Checked before the load: a bookmarks file that cannot be used is refused before anything is written.
  const bookmarksOut = await openOutput(args.neo4jBookmarks, { option: '--neo4j-bookmarks', graphArgs: args });
  const target = neo4jTarget(args.neo4jUri, args, true);
  // --neo4j-bookmarks belongs to the load here, not to the graph read (a file).
  const source = graphSourceKind(args.graph ?? { mapping: args.mapping! }) === 'neo4j' ? args : { ...args, neo4jBookmarks: undefined };
  const { graph, stats } = await loadGraphWithStats(source);
  const progress = { ...newProgress(), totalRecords: graph.size + graph.relationCount, unit: 'rows written' };
  const stop = showProgress(progress, { quiet: args.quiet });
  let written;
  try {
    written = await writeGraphToNeo4j(target, graph, {
      batchSize: args.batchSize,
      prune: args.prune,
      source: args.graph ?? args.mapping,
      onProgress: (p) => {
        progress.records = p.entities + p.relations;
      },
    });
  } finally {
    stop();
  }
  const n = (x: number) => x.toLocaleString('en-US');
  const where = redactUri(args.neo4jUri);
  if (!args.quiet) {
    const rate = written.seconds > 0 ? Math.round(written.entities / written.seconds) : written.entities;
    io.stderr(
      summary(
        stats,
        undefined,
        `wrote ${n(written.entities)} entities and ${n(written.relations)} relations to Neo4j at ${where} in ${written.seconds.toFixed(2)} s (${n(rate)} entities/s, ${n(written.batches)} transactions${written.path === 'create' ? ', created into an empty database' : ''})`,
      ),
    );
  }
  if (bookmarksOut) {
    // Written even with --quiet: the next step of a pipeline waits for exactly these writes.
    const bookmarks = await neo4jWriteBookmarks(target);
    await bookmarksOut.write([bookmarks.map((b) => `${b}\n`).join('')]);
    if (!args.quiet)
      io.stderr(
        `wrote the load's bookmark${bookmarks.length === 1 ? '' : 's'} to ${args.neo4jBookmarks}: reads with --neo4j-bookmarks ${args.neo4jBookmarks} wait for this load\n`,
      );
  }
  const { entities, relations } = written.stale;
  if (entities || relations) {
    const what = `${n(entities)} entit${entities === 1 ? 'y' : 'ies'} and ${n(relations)} relation${relations === 1 ? '' : 's'}`;
    // Not silenced by --quiet: plans on this database see them.
    io.stderr(
      written.pruned
        ? `removed ${what} from Neo4j at ${where} that earlier loads wrote and this one does not have (--prune)\n`
        : `warning: Neo4j at ${where} still holds ${what} that are not in this load; plans on it include them (--prune removes them)\n`,
    );
  }
  setExit(EXIT.pass);
}
