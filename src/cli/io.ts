// Terminal concerns: where output goes, atomic file writes, exit codes, loading inputs named on the command line.
import { readFileSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { InputError, UsageError } from '../model/errors.js';
import {
  GRAPH_SOURCES,
  graphSourceOf,
  openGraph,
  type GraphSource,
  type IngestResult,
  type Neo4jTarget,
  type OpenGraphOptions,
  type SourceOption,
} from '../app/index.js';
import type { GraphIndex } from '../model/graph.js';
import { batched, writePieces, type Pieces } from './outputs.js';
import { showProgress } from './progress.js';

// Files are written only through ./outputs.js (the guard against overwriting inputs, temporary-file cleanup).
export { cannotWrite, writeAtomic, writeAtomicChunks } from './outputs.js';

export const EXIT = { pass: 0, violations: 1, input: 2, internal: 3 } as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout takes colour. */
  color: boolean;
  /** Standard output as a stream, so that long outputs are written with backpressure (see `emit`). */
  stdoutStream?: Writable;
  /**
   * The exit code decided so far. Commands decide it before they stream a report, so that a reader who stops early
   * (`| head`, which ends the process on EPIPE) still sees a failing verdict as a failure.
   */
  exitCode?: number;
  /**
   * Columns the human formats fit their lines to: --width, else the terminal's width when stdout is one, else 80.
   * Undefined: lines as long as they are (the library's reporters, tests that call the CLI in-process).
   */
  width?: number;
}

/** Columns for human output: the terminal's when stdout is a terminal, else 80 (a file, a pipe, a CI log). */
export function terminalColumns(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : 80;
}

let warnSink: (text: string) => void = (text) => void process.stderr.write(text);

/**
 * Where warnings from deep inside a load (a database's skipped tables, an overlay's doubts) go: the running command's
 * stderr. cli() points it at its Io, so a CLI run in-process (the tests, a host program) gets them with the rest.
 */
export function warnThrough(io: Pick<Io, 'stderr'>): void {
  warnSink = io.stderr;
}

/** One warning line to the running command's stderr. */
export function warnLine(line: string): void {
  warnSink(`${line}\n`);
}

/** Text pieces to stdout as they come: through the stream with backpressure when there is one, else to `io.stdout`. */
export async function emit(io: Io, pieces: Pieces): Promise<void> {
  if (io.stdoutStream) return writePieces(io.stdoutStream, pieces);
  for (const chunk of batched(pieces)) io.stdout(chunk);
}

export interface GraphArgs {
  graph?: string;
  mapping?: string;
  allowDangling?: boolean;
  quiet?: boolean;
  /** For a --graph that is a Neo4j URI (the password comes from NEO4J_PASSWORD). */
  neo4jUser?: string;
  neo4jDatabase?: string;
  neo4jTimeout?: number;
  neo4jBookmarks?: string;
  /** For a --graph that is a PostgreSQL URI: the overlay file (docs/databases.md). */
  overlay?: string;
}

/** How to reach Neo4j, from the command line: --neo4j-user, --neo4j-database, --neo4j-timeout (and --overlay, for PostgreSQL). */
export interface Neo4jArgs {
  neo4jUser?: string;
  neo4jDatabase?: string;
  /** Seconds the server may stay silent while a command waits on it. */
  neo4jTimeout?: number;
  /** A file of bookmarks (one per line) every read waits for; `ingest --to neo4j` replaces it with its own. */
  neo4jBookmarks?: string;
  overlay?: string;
}

/** Bookmarks are short (about 60 characters each); a larger file is not one `ingest` wrote. */
const BOOKMARK_FILE_LIMIT = 1 << 20;

/**
 * The bookmarks a command waits for: NEO4J_BOOKMARKS (separated by spaces, commas or line breaks) and the lines of
 * --neo4j-bookmarks FILE. A reader's FILE must exist and hold one (a lost file would otherwise mean reading a
 * member that may not have the load yet, silently); for `ingest --to neo4j` (`forLoad`) it may be missing or empty.
 */
export function neo4jBookmarkArgs(opts: Neo4jArgs, forLoad = false): string[] {
  const found = (process.env.NEO4J_BOOKMARKS ?? '').split(/[\s,]+/).filter(Boolean);
  const file = opts.neo4jBookmarks;
  if (file === undefined) return found;
  let text = '';
  try {
    if (statSync(file).size > BOOKMARK_FILE_LIMIT) throw new InputError({ file, message: `is not a bookmarks file (over ${BOOKMARK_FILE_LIMIT} bytes)` });
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (!(forLoad && e.code === 'ENOENT'))
      throw new InputError({ file, message: `cannot read the bookmarks file: ${e.code === 'ENOENT' ? 'no such file' : e.message}` });
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length && !forLoad) {
    throw new InputError({ file, message: 'holds no bookmark (it is written by "blastguard ingest … --to neo4j --neo4j-bookmarks FILE")' });
  }
  const bad = lines.findIndex((l) => /[\s,]/.test(l));
  if (bad >= 0) throw new InputError({ file, line: bad + 1, message: 'a bookmark has no spaces or commas: this is not a bookmarks file' });
  return [...found, ...lines];
}

/**
 * Where and as whom to connect: the user from --neo4j-user (default neo4j), the database from --neo4j-database
 * (default: the server's default database), the password only from NEO4J_PASSWORD.
 */
export function neo4jTarget(uri: string, opts: Neo4jArgs, forLoad = false): Neo4jTarget {
  const password = process.env.NEO4J_PASSWORD;
  const target: Neo4jTarget = { uri, user: opts.neo4jUser ?? 'neo4j', password: password === '' ? undefined : password };
  if (opts.neo4jDatabase !== undefined) target.database = opts.neo4jDatabase;
  if (opts.neo4jTimeout !== undefined) {
    const t = opts.neo4jTimeout;
    if (!(typeof t === 'number' && Number.isFinite(t) && t > 0)) throw new UsageError(`--neo4j-timeout must be a number of seconds above 0 (got ${String(t)})`);
    target.idleTimeoutMs = t * 1000;
  }
  const bookmarks = neo4jBookmarkArgs(opts, forLoad);
  if (bookmarks.length) target.bookmarks = bookmarks;
  return target;
}

/** The source --graph or --mapping names (exactly one of them). */
export function graphSourceArg(args: GraphArgs): GraphSource {
  if (args.graph !== undefined && args.mapping !== undefined) throw new UsageError('Give --graph or --mapping, not both.');
  if (args.graph === undefined && args.mapping === undefined)
    throw new UsageError('Missing the graph: give --graph FILE (a snapshot) or --mapping FILE (raw exports).');
  return args.graph ?? { mapping: args.mapping! };
}

/**
 * How to open `source`, from the command line: the options its entry in the table of graph sources takes (another
 * one given is a usage error), the progress display of the terminal, warnings to stderr.
 */
export function openGraphOptions(source: GraphSource, args: GraphArgs): OpenGraphOptions {
  const entry = graphSourceOf(source);
  const takes = (option: SourceOption) => entry.takes.includes(option);
  if (!takes('neo4j') && args.neo4jBookmarks !== undefined) throw new UsageError('--neo4j-bookmarks goes with a Neo4j URI (bolt://… or neo4j://…).');
  if (!takes('overlay') && args.overlay !== undefined) {
    const databases = GRAPH_SOURCES.filter((s) => s.takes.includes('overlay')).map((s) => `${s.scheme}…`);
    throw new UsageError(`--overlay goes with --graph ${databases.join(' or ')} (it describes a database).`);
  }
  if (!takes('allowDangling') && args.allowDangling)
    throw new UsageError(`--allow-dangling is for files; a graph read from ${entry.title} has no dangling relations.`);
  return sourceOptions(source, args);
}

/** The options openGraph and the push-down backends take, from the command line (unchecked: see openGraphOptions). */
export function sourceOptions(source: GraphSource, args: GraphArgs): OpenGraphOptions {
  return {
    allowDangling: args.allowDangling,
    overlay: args.overlay,
    neo4j: graphSourceOf(source).takes.includes('neo4j') ? neo4jTarget(source as string, args) : undefined,
    watch: (progress) => showProgress(progress, { quiet: args.quiet }),
    warn: warnLine,
  };
}

/**
 * Loads the graph named by --graph (any file or URI of the table of graph sources, read into memory) or --mapping
 * (raw exports), through the application layer's openGraph. The checks here are about the command line (which
 * options go together).
 */
export async function loadGraphWithStats(args: GraphArgs): Promise<IngestResult> {
  const source = graphSourceArg(args);
  return openGraph(source, openGraphOptions(source, args));
}

/**
 * Loads the graph named by --graph or --mapping. A plain string is a --graph file or URI; `neo4j` says how to reach
 * it when it is a Neo4j URI.
 */
export async function loadGraphArg(source: string | GraphArgs, neo4j: Neo4jArgs = {}): Promise<GraphIndex> {
  return (await loadGraphWithStats(typeof source === 'string' ? { graph: source, ...neo4j } : source)).graph;
}
