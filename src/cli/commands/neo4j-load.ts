// `blastguard neo4j-load --graph FILE --neo4j-uri bolt://HOST:PORT`: writes a graph into Neo4j (batched, idempotent
// MERGE), with a progress line on a terminal. Stand-in until `ingest … --to neo4j` lands on main.
import type { Argv } from 'yargs';
import { assertNeo4jUri } from '../../store/neo4j/names.js';
import type { WriteProgress } from '../../store/neo4j/write.js';
import { EXIT, loadGraphArg, neo4jTarget, type Io } from '../io.js';

interface LoadArgs {
  graph: string;
  neo4jUri: string;
  neo4jUser?: string;
  batchSize: number;
  quiet: boolean;
}

function progressLine(p: WriteProgress, seconds: number): string {
  const done = p.entities + p.relations;
  const total = p.totalEntities + p.totalRelations;
  const pct = total ? Math.floor((done / total) * 100) : 100;
  const rate = seconds > 0 ? Math.round(done / seconds) : 0;
  const n = (x: number) => x.toLocaleString('en-US');
  return `${pct}%  ${n(p.entities)}/${n(p.totalEntities)} entities  ${n(p.relations)}/${n(p.totalRelations)} relations  ${n(rate)} rows/s`;
}

export function neo4jLoadCommand(io: Io, setExit: (code: number) => void) {
  return {
    command: 'neo4j-load',
    describe: 'Write a graph (snapshot file) into Neo4j: nodes, relationships and the schema; safe to run again',
    builder: (y: Argv) =>
      y
        .option('graph', { alias: 'g', type: 'string', demandOption: true, requiresArg: true, describe: 'Snapshot file (.json or .json.gz)' })
        .option('neo4j-uri', { type: 'string', demandOption: true, requiresArg: true, describe: 'bolt://HOST:PORT or neo4j://HOST:PORT' })
        .option('neo4j-user', { type: 'string', requiresArg: true, describe: 'Neo4j user (default neo4j); the password is read from NEO4J_PASSWORD' })
        .option('batch-size', { type: 'number', default: 2000, requiresArg: true, describe: 'Rows per transaction' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress line and no summary' })
        .example('$0 neo4j-load --graph samples/tenant.json --neo4j-uri bolt://localhost:7687', 'load the sample tenant'),
    handler: async (args: LoadArgs) => {
      assertNeo4jUri(args.neo4jUri, '--neo4j-uri');
      const graph = await loadGraphArg(args.graph, args);
      const [{ withNeo4j }, { writeGraph }] = await Promise.all([import('../../store/neo4j/connect.js'), import('../../store/neo4j/write.js')]);
      const tty = !args.quiet && process.stderr.isTTY === true && !process.env.CI;
      const started = performance.now();
      let drawn = false;
      const stats = await withNeo4j(neo4jTarget(args.neo4jUri, args), 'loading the graph', (conn) =>
        writeGraph(conn, graph, {
          batchSize: args.batchSize,
          source: args.graph,
          onProgress: tty
            ? (p) => {
                io.stderr(`\r${progressLine(p, (performance.now() - started) / 1000)}\u001b[K`);
                drawn = true;
              }
            : undefined,
        }),
      ).finally(() => drawn && io.stderr('\r\u001b[K'));
      if (!args.quiet) {
        const n = (x: number) => x.toLocaleString('en-US');
        const rate = stats.seconds > 0 ? Math.round(stats.entities / stats.seconds) : stats.entities;
        io.stderr(`wrote ${n(stats.entities)} entities and ${n(stats.relations)} relations to Neo4j in ${stats.seconds.toFixed(2)} s (${n(rate)} entities/s, ${stats.batches} transactions)\n`);
      }
      setExit(EXIT.pass);
    },
  };
}
