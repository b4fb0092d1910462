// `blastguard ingest --mapping FILE --out snapshot.json[.gz]`: raw exports → one snapshot, with counts and the time
// taken on stderr (stdout carries only the snapshot when --out is "-").
import type { Argv } from 'yargs';
import { UsageError } from '../../model/errors.js';
import type { IngestStats } from '../../ingest/sink.js';
import { snapshotChunks, type SnapshotFormat } from '../../store/serialize.js';
import { EXIT, loadGraphWithStats, writeAtomicChunks, type Io } from '../io.js';

interface IngestArgs {
  mapping?: string;
  graph?: string;
  out?: string;
  to?: SnapshotFormat;
  allowDangling: boolean;
  quiet: boolean;
}

function table(counts: Record<string, number>): string {
  const names = Object.keys(counts);
  const w = Math.max(0, ...names.map((n) => n.length));
  const cw = Math.max(0, ...names.map((n) => counts[n].toLocaleString('en-US').length));
  return names.map((n) => `  ${n.padEnd(w)}  ${counts[n].toLocaleString('en-US').padStart(cw)}\n`).join('');
}

export function summary(stats: IngestStats, out: string | undefined): string {
  const n = (x: number) => x.toLocaleString('en-US');
  let s = `ingested ${n(stats.entities)} entities and ${n(stats.relations)} relations from ${n(stats.records)} records in ${n(stats.files)} file${stats.files === 1 ? '' : 's'} in ${stats.seconds.toFixed(2)} s\n`;
  if (stats.entities) s += `entities by type:\n${table(stats.entitiesByType)}`;
  if (stats.relations) s += `relations by type:\n${table(stats.relationsByType)}`;
  const dropped = Object.entries(stats.droppedDangling);
  if (dropped.length) {
    const total = dropped.reduce((a, [, c]) => a + c, 0);
    s += `dropped ${n(total)} reference${total === 1 ? '' : 's'} to missing entities (--allow-dangling):\n${table(Object.fromEntries(dropped))}`;
  }
  if (out && out !== '-') s += `snapshot written to ${out}\n`;
  else if (!out) s += 'no --out given: nothing written\n';
  return s;
}

export function ingestCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'ingest',
    describe: 'Read raw exports (CSV, NDJSON, JSON, neo4j-admin CSV, graphology) through a mapping into one snapshot',
    builder: (y: Argv) =>
      y
        .option('mapping', { alias: 'm', type: 'string', requiresArg: true, describe: 'Mapping file (YAML): the schema and how each export becomes entities and relations' })
        .option('graph', { alias: 'g', type: 'string', requiresArg: true, describe: 'Or convert a graph file (snapshot JSON/NDJSON, graphology JSON)' })
        .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'Snapshot to write (.json, .ndjson, .gz for gzip; "-" for stdout). Without it, only validate' })
        .option('to', { choices: ['json', 'ndjson'] as const, describe: 'Snapshot format (default: from the --out name; JSON for "-")' })
        .option('allow-dangling', { type: 'boolean', default: false, describe: 'Drop references to missing entities (counted per source) instead of failing' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress display and no summary' })
        .example('$0 ingest --mapping samples/exports/mapping.yaml --out tenant.json', 'turn the sample exports into a snapshot'),
    handler: async (args: IngestArgs) => {
      if (args.mapping === undefined && args.graph === undefined) throw new UsageError('Missing --mapping FILE (or --graph FILE to convert a graph file).');
      const out = args.out;
      const name = (out ?? '').toLowerCase().replace(/\.gz$/, '');
      const format: SnapshotFormat = args.to ?? (name.endsWith('.ndjson') || name.endsWith('.jsonl') ? 'ndjson' : 'json');
      const { graph, stats } = await loadGraphWithStats(args);
      if (out === '-') {
        for (const chunk of snapshotChunks(graph, format)) io.stdout(chunk);
      } else if (out !== undefined) {
        await writeAtomicChunks(out, snapshotChunks(graph, format), /\.gz$/i.test(out));
      }
      if (!args.quiet) io.stderr(summary(stats, out));
      setExit(EXIT.pass);
    },
  };
}
