// The table of graph sources: every input `--graph`/`--mapping` (and the library's openGraph/loadGraph) accepts is one
// entry here — how it is recognised from its form, how it is read into memory, which options it takes, and whether
// the database can compute a plan itself (a push-down Backend). A new input format is one new entry: in
// GRAPH_SOURCES for a new kind of source (a URI scheme), in FILE_FORMATS for a new kind of graph file.
import type { IngestResult } from '../ingest/ingest.js';
import { isNdjsonName, loadJsonGraphFile, loadNdjsonGraphFile } from '../ingest/load.js';
import { isBinaryGraphFile, loadBinaryGraphFile } from '../ingest/load-binary.js';
import { ingest } from '../ingest/ingest.js';
import type { Progress } from '../ingest/readers/open.js';
import type { Neo4jTarget } from '../store/neo4j/connect.js';
import { isNeo4jUri } from '../store/neo4j/names.js';
import { isPostgresUri } from '../store/postgres/uri.js';
import { isMysqlUri } from '../store/mysql/uri.js';
import { neo4jBackend, postgresBackend, type Backend } from './backend.js';
import { readGraphFromNeo4j } from './neo4j.js';

/** A graph file or URI (`--graph`), or raw exports read through a mapping file (`--mapping`). */
export type GraphSource = string | { mapping: string };

export type GraphSourceKind = 'file' | 'mapping' | 'neo4j' | 'postgres' | 'mysql';

export interface OpenGraphOptions {
  /** For files and mappings: drop references to missing entities (counted) instead of failing. */
  allowDangling?: boolean;
  /** For a PostgreSQL or MySQL URI: the overlay file (docs/databases.md). */
  overlay?: string;
  /** For a Neo4j URI: how to connect (the URI itself is the source). */
  neo4j?: Omit<Neo4jTarget, 'uri'>;
  /**
   * Called with the load's counters when a load starts that reports progress (files, mappings, PostgreSQL);
   * returns the function that ends the display. Reading Neo4j reports none.
   */
  watch?: (progress: Progress) => () => void;
  /** Where warnings go (PostgreSQL: what the overlay could not judge); none by default. */
  warn?: (line: string) => void;
}

/** The options of OpenGraphOptions that only some sources take (watch and warn every source may ignore). */
export type SourceOption = 'allowDangling' | 'overlay' | 'neo4j';

export interface PushDown {
  /** The --graph this backend needs, in its refusal ("--backend neo4j needs --graph …"). */
  needs: string;
  /** Whether it can make approved plans (--out, --waves): they need the whole graph's fingerprint. */
  approves: boolean;
  /** The backend on the database `uri` names. */
  backend(uri: string, options: OpenGraphOptions): Backend;
}

export interface GraphSourceEntry<K extends GraphSourceKind = GraphSourceKind> {
  kind: K;
  /** Its name in messages: "a graph read from PostgreSQL has no dangling relations". */
  title: string;
  /** How a URI of it begins, in messages ("--overlay goes with --graph postgres://…"); none for files and mappings. */
  scheme?: string;
  /** What `--graph` help says of it; none for a mapping (which is `--mapping`). */
  help?: string;
  /** Whether `source` is of this kind, from its form alone: no I/O (the first entry that recognises it wins). */
  recognises(source: GraphSource): boolean;
  /** The options it takes besides `watch` and `warn`; the CLI refuses the others. */
  takes: readonly SourceOption[];
  /** Whether its load reports progress (through `watch`). */
  progress: boolean;
  /** A database with a catalog a mapping can be held against (`ingest --check-against`). */
  catalog?: boolean;
  /** Reads it into memory. The drivers are imported here, on demand: commands on files do not pay for them. */
  open(source: GraphSource, options: OpenGraphOptions, progress: Progress | undefined): Promise<IngestResult>;
  /** Present when the database can compute the closure itself: the Backend of the same name. */
  pushDown?: PushDown;
}

const uri = (source: GraphSource) => source as string;
const isUri = (test: (s: string) => boolean) => (source: GraphSource) => typeof source === 'string' && test(source);

export interface GraphFileFormat {
  name: string;
  /** Whether `file` is of this format: by its name, or by its first bytes (a regular file only). */
  recognises(file: string): boolean;
  open(file: string, options: { allowDangling?: boolean; progress?: Progress }): Promise<IngestResult>;
}

/** The graph files `--graph FILE` reads, tried in order; the last one takes any file (its reader names what is wrong). */
export const FILE_FORMATS: readonly GraphFileFormat[] = [
  // A binary graph file (.bgraph), by its name or its magic number: a few large reads, no parsing.
  { name: 'bgraph', recognises: isBinaryGraphFile, open: (file, { progress }) => loadBinaryGraphFile(file, { progress }) },
  { name: 'ndjson', recognises: isNdjsonName, open: loadNdjsonGraphFile },
  // Snapshot JSON or graphology's serialized JSON, told apart by the reader.
  { name: 'json', recognises: () => true, open: loadJsonGraphFile },
];

// The table's literal type names the push-down backends (PushDownName); everything else reads GRAPH_SOURCES.
const TABLE = [
  {
    kind: 'neo4j',
    title: 'Neo4j',
    scheme: 'bolt://',
    help: 'a Neo4j URI (bolt://…, neo4j://…)',
    recognises: isUri(isNeo4jUri),
    takes: ['neo4j'],
    progress: false,
    open: (source, options) => readGraphFromNeo4j({ ...options.neo4j, uri: uri(source) }),
    pushDown: {
      needs: 'bolt://HOST:PORT or neo4j://HOST:PORT',
      // Its approved plans stream the whole graph's fingerprint from Neo4j (./neo4j-fingerprint.ts).
      approves: true,
      backend: (source, options) => neo4jBackend({ ...options.neo4j, uri: source }),
    },
  },
  {
    kind: 'postgres',
    title: 'PostgreSQL',
    scheme: 'postgres://',
    help: 'a PostgreSQL URI (postgres://USER@HOST:PORT/DB)',
    recognises: isUri(isPostgresUri),
    takes: ['overlay'],
    progress: true,
    catalog: true,
    async open(source, options, progress) {
      const { loadGraphFromPostgres } = await import('../ingest/postgres.js');
      return loadGraphFromPostgres(uri(source), { overlay: options.overlay, progress, warn: options.warn });
    },
    pushDown: {
      needs: 'postgres://USER@HOST:PORT/DATABASE',
      approves: false,
      backend: (source, options) => postgresBackend({ uri: source, overlay: options.overlay, warn: options.warn }),
    },
  },
  {
    kind: 'mysql',
    title: 'MySQL',
    scheme: 'mysql://',
    help: 'a MySQL/MariaDB URI (mysql://USER@HOST:PORT/DB)',
    recognises: isUri(isMysqlUri),
    takes: ['overlay'],
    progress: true,
    catalog: true,
    async open(source, options, progress) {
      const { loadGraphFromMysql } = await import('../ingest/mysql.js');
      return loadGraphFromMysql(uri(source), { overlay: options.overlay, progress, warn: options.warn });
    },
  },
  {
    kind: 'mapping',
    title: 'a mapping',
    recognises: (source) => typeof source !== 'string',
    takes: ['allowDangling'],
    progress: true,
    open: (source, options, progress) => ingest((source as { mapping: string }).mapping, { allowDangling: options.allowDangling, progress }),
  },
  {
    kind: 'file',
    title: 'a file',
    help: 'Graph file: snapshot .json or .ndjson (.gz too), a binary .bgraph, or graphology JSON',
    recognises: (source) => typeof source === 'string',
    takes: ['allowDangling'],
    progress: true,
    open(source, options, progress) {
      const file = uri(source);
      const format = FILE_FORMATS.find((f) => f.recognises(file))!;
      return format.open(file, { allowDangling: options.allowDangling, progress });
    },
  },
] as const satisfies readonly GraphSourceEntry[];

/** Every graph source, tried in order: the URIs by their scheme, then a mapping, then any other string as a file. */
export const GRAPH_SOURCES: readonly GraphSourceEntry[] = TABLE;

/** The backends that compute inside their database: each is the push-down of the source of the same name. */
export type PushDownName = Extract<(typeof TABLE)[number], { pushDown: PushDown }>['kind'];

/** Where a plan can be computed: in memory, or pushed down into a database (--backend). */
export type BackendName = 'memory' | PushDownName;
export const BACKENDS = ['memory', ...GRAPH_SOURCES.flatMap((s) => (s.pushDown ? [s.kind] : []))] as readonly BackendName[];

/** The entry that reads `source` (every source has one: any string is at least a file). */
export function graphSourceOf(source: GraphSource): GraphSourceEntry {
  return GRAPH_SOURCES.find((s) => s.recognises(source))!;
}

export function graphSourceKind(source: GraphSource): GraphSourceKind {
  return graphSourceOf(source).kind;
}

/** The source whose database computes the plans of the push-down backend `name`. */
export function pushDownSource(name: PushDownName): GraphSourceEntry & { pushDown: PushDown } {
  return GRAPH_SOURCES.find((s) => s.kind === name && s.pushDown) as GraphSourceEntry & { pushDown: PushDown };
}

/** What `--backend` can be, in its help: memory, then each push-down of the table with the URI it needs. */
export function backendsHelp(): string {
  const pushDowns = GRAPH_SOURCES.flatMap((s) => (s.pushDown ? [`inside ${s.title} (with --graph ${s.pushDown.needs})`] : []));
  return `Where the plan is computed: in memory, ${pushDowns.slice(0, -1).join(', ')}${pushDowns.length > 1 ? ' or ' : ''}${pushDowns[pushDowns.length - 1]}`;
}

/** What `--graph` accepts, in every command's help: the file, then each URI, from the table. */
export function graphSourcesHelp(): string {
  const file = GRAPH_SOURCES.find((s) => s.kind === 'file')!.help;
  const uris = GRAPH_SOURCES.flatMap((s) => (s.kind !== 'file' && s.help ? [s.help] : []));
  return `${file}; or ${uris.slice(0, -1).join(', ')}, or ${uris[uris.length - 1]}`;
}
