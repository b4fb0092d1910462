// Terminal concerns: where output goes, atomic file writes, exit codes, loading inputs named on the command line.
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InputError, UsageError } from '../model/errors.js';
import { ingest, type IngestResult } from '../ingest/ingest.js';
import { loadGraphFile } from '../ingest/load.js';
import { newProgress } from '../ingest/readers/open.js';
import { countByType, type IngestStats } from '../ingest/sink.js';
import type { CompactGraph } from '../store/compact.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import { isNeo4jUri } from '../store/neo4j/names.js';
import { isPostgresUri } from '../store/postgres/uri.js';
import { showProgress } from './progress.js';

export const EXIT = { pass: 0, violations: 1, input: 2, internal: 3 } as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout takes colour. */
  color: boolean;
}

/** Writes `text` to `file` through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(file: string, text: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    if (typeof text === 'string') writeSync(fd, text);
    else writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
    throw new InputError({ file, message: cannotWrite(err) });
  }
}

/**
 * Streams text pieces to `file` through a temporary file beside it (created exclusively, synced on close) and a
 * rename, gzipped when `gzip` (at `level`, zlib's default unless given); on any failure the temporary file is removed
 * and `file` is left as it was. Memory stays flat however large the output.
 */
export async function writeAtomicChunks(file: string, chunks: Iterable<string>, gzip = false, level?: number): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const out = createWriteStream(tmp, { flags: 'wx', flush: true });
    const source = Readable.from(chunks, { objectMode: false });
    if (gzip) await pipeline(source, createGzip(level === undefined ? {} : { level }), out);
    else await pipeline(source, out);
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
    if (err instanceof InputError) throw err;
    throw new InputError({ file, message: cannotWrite(err) });
  }
}

const WRITE_ERRORS: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
};

/** "cannot write: its directory does not exist (ENOENT)": the reason in words, and the code to search for. */
export function cannotWrite(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (!code) return `cannot write: ${(err as Error).message}`;
  return WRITE_ERRORS[code] ? `cannot write: ${WRITE_ERRORS[code]} (${code})` : `cannot write: ${code}`;
}

export interface GraphArgs {
  graph?: string;
  mapping?: string;
  allowDangling?: boolean;
  quiet?: boolean;
  /** For a --graph that is a Neo4j URI (the password comes from NEO4J_PASSWORD). */
  neo4jUser?: string;
  neo4jDatabase?: string;
  /** For a --graph that is a PostgreSQL URI: the overlay file (docs/databases.md). */
  overlay?: string;
}

/** How to reach Neo4j, from the command line: --neo4j-user, --neo4j-database (and --overlay, for PostgreSQL). */
export interface Neo4jArgs {
  neo4jUser?: string;
  neo4jDatabase?: string;
  overlay?: string;
}

/**
 * Where and as whom to connect: the user from --neo4j-user (default neo4j), the database from --neo4j-database
 * (default: the server's default database), the password only from NEO4J_PASSWORD.
 */
export function neo4jTarget(uri: string, opts: Neo4jArgs): Neo4jTarget {
  const password = process.env.NEO4J_PASSWORD;
  const target: Neo4jTarget = { uri, user: opts.neo4jUser ?? 'neo4j', password: password === '' ? undefined : password };
  if (opts.neo4jDatabase !== undefined) target.database = opts.neo4jDatabase;
  return target;
}

/**
 * Loads the graph named by --graph (snapshot JSON/NDJSON, graphology JSON; or a Neo4j URI, bolt://… or neo4j://…,
 * read into memory) or --mapping (raw exports).
 */
export async function loadGraphWithStats(args: GraphArgs): Promise<IngestResult> {
  if (args.graph !== undefined && args.mapping !== undefined) throw new UsageError('Give --graph or --mapping, not both.');
  if (args.graph === undefined && args.mapping === undefined) throw new UsageError('Missing the graph: give --graph FILE (a snapshot) or --mapping FILE (raw exports).');
  if (args.graph !== undefined && isPostgresUri(args.graph)) return loadFromPostgres(args.graph, args);
  if (args.overlay !== undefined) throw new UsageError('--overlay goes with --graph postgres://… (it describes a database).');
  if (args.graph !== undefined && isNeo4jUri(args.graph)) {
    if (args.allowDangling) throw new UsageError('--allow-dangling is for files; a graph read from Neo4j has no dangling relations.');
    // Loaded on demand: commands on files do not pay for the driver.
    const [{ withNeo4j }, { readGraph }] = await Promise.all([import('../store/neo4j/connect.js'), import('../store/neo4j/read.js')]);
    const started = performance.now();
    const graph = await withNeo4j(neo4jTarget(args.graph, args), 'reading the graph', (conn) => readGraph(conn));
    const stats: IngestStats = {
      files: 0,
      records: graph.size,
      bytes: 0,
      entities: graph.size,
      relations: graph.relationCount,
      ...countByType(graph),
      droppedDangling: Object.create(null) as Record<string, number>,
      seconds: (performance.now() - started) / 1000,
    };
    return { graph, stats };
  }
  const progress = newProgress();
  const stop = showProgress(progress, { quiet: args.quiet });
  try {
    return args.mapping !== undefined
      ? await ingest(args.mapping, { allowDangling: args.allowDangling, progress })
      : await loadGraphFile(args.graph!, { allowDangling: args.allowDangling, progress });
  } finally {
    stop();
  }
}

/** A PostgreSQL database read into memory (docs/databases.md), with the progress display; warnings go to stderr. */
async function loadFromPostgres(uri: string, args: GraphArgs): Promise<IngestResult> {
  if (args.allowDangling) throw new UsageError('--allow-dangling is for files; a graph read from PostgreSQL has no dangling relations.');
  // Loaded on demand: commands on files do not pay for the driver.
  const { loadGraphFromPostgres } = await import('../ingest/postgres.js');
  const progress = newProgress();
  const stop = showProgress(progress, { quiet: args.quiet });
  try {
    return await loadGraphFromPostgres(uri, { overlay: args.overlay, progress, warn: (line) => process.stderr.write(`${line}\n`) });
  } finally {
    stop();
  }
}

/**
 * Loads the graph named by --graph or --mapping. A plain string is a --graph file or URI; `neo4j` says how to reach
 * it when it is a Neo4j URI.
 */
export async function loadGraphArg(source: string | GraphArgs, neo4j: Neo4jArgs = {}): Promise<CompactGraph> {
  return (await loadGraphWithStats(typeof source === 'string' ? { graph: source, ...neo4j } : source)).graph;
}
