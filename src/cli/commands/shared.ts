// Options and output handling shared by the plan, check and why commands.
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { KeyObject } from 'node:crypto';
import {
  approvePlan,
  graphSourcesHelp,
  keyId,
  parseWaveSpec,
  readPrivateKeyFile,
  type ApprovedPlan,
  type PlanOptions,
  type PlanRequest,
  type PlanResult,
  type WaveCount,
} from '../../app/index.js';
import { UsageError } from '../../model/errors.js';
import type { DeletionMode } from '../../model/types.js';
import type { GraphIndex } from '../../model/graph.js';
import type { Anchors } from '../../report/anchors.js';
import { renderPlanPieces, type PlanFormat } from '../../report/index.js';
import { formatsFor, type FormatCommand, type FormatOf } from '../../report/formats.js';
import { jsonLinePieces } from '../../report/pieces.js';
import { renderWaves } from '../../report/waves.js';
import { emit, EXIT, type Io } from '../io.js';
import { openOutput, type Output, type OutputInput } from '../outputs.js';
import { toolVersion } from '../version.js';

export interface CommonArgs {
  graph?: string;
  neo4jUser?: string;
  mapping?: string;
  allowDangling?: boolean;
  quiet?: boolean;
  format: PlanFormat;
  full: boolean;
}

/** Options of the commands that make a plan (plan, check). */
export interface PlanOutArgs extends CommonArgs {
  out?: string;
  waves?: string;
  signKey?: string;
}

/** The options that say how to reach a Neo4j URI given to --graph (or --neo4j-uri). */
export function neo4jOptions<T>(y: Argv<T>) {
  return y
    .option('neo4j-user', {
      type: 'string',
      requiresArg: true,
      describe: 'Neo4j user for a bolt:// or neo4j:// URI (default neo4j); the password is read from NEO4J_PASSWORD',
    })
    .option('neo4j-database', { type: 'string', requiresArg: true, describe: "Neo4j database (default: the server's default database)" })
    .option('neo4j-timeout', {
      type: 'number',
      requiresArg: true,
      describe: 'Seconds Neo4j may send nothing while a query runs before the command gives up (default 120)',
    })
    .option('neo4j-bookmarks', {
      type: 'string',
      requiresArg: true,
      describe:
        'Bookmarks file (one per line; NEO4J_BOOKMARKS too): reads wait until the Neo4j member serving them has those writes; ingest --to neo4j writes its own into it (docs/neo4j.md, Clusters)',
    })
    .option('overlay', {
      type: 'string',
      requiresArg: true,
      describe:
        'With --graph postgres://… or mysql://…: the overlay file (boundary table, names, protection, undeclared relations, onDelete overrides); the password comes from PGPASSWORD or ~/.pgpass (MYSQL_PWD or ~/.my.cnf)',
    });
}

/** What --graph accepts, in every command's help: from the table of graph sources (src/app/sources.ts). */
export const GRAPH_HELP = graphSourcesHelp();

/** The --format option of `command`: exactly the formats it serves (src/report/formats.ts), human by default. */
export function formatOption<C extends FormatCommand>(command: C, describe = 'Output format') {
  return { alias: 'f', choices: formatsFor(command), default: 'human' as FormatOf<C>, describe } as const;
}

/** --graph and friends, and the --format of `command` (plan, check or why). */
export function graphOptions<T, C extends 'plan' | 'check' | 'why'>(y: Argv<T>, command: C) {
  return neo4jOptions(y)
    .option('graph', {
      alias: 'g',
      type: 'string',
      describe: GRAPH_HELP,
      requiresArg: true,
    })
    .option('mapping', { alias: 'm', type: 'string', describe: 'Read raw exports through this mapping file instead of --graph', requiresArg: true })
    .option('allow-dangling', { type: 'boolean', default: false, describe: 'Drop references to missing entities instead of failing' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress display while loading' })
    .option('format', formatOption(command, command === 'why' ? undefined : 'Output format (github, sarif, junit: for CI)'))
    .option('full', { type: 'boolean', default: false, describe: 'Show every entity instead of cutting long lists' });
}

export function planOutOptions<T>(y: Argv<T>) {
  return y
    .option('out', {
      alias: 'o',
      type: 'string',
      requiresArg: true,
      describe: 'Also write the approved plan (JSON with a digest; see `verify`) to this file, atomically. The report still goes to stdout',
    })
    .option('waves', {
      type: 'string',
      requiresArg: true,
      describe: 'Split the targets into canary waves by site, smallest first, e.g. 1,10,100,rest (counts of sites)',
    })
    .option('sign-key', {
      type: 'string',
      requiresArg: true,
      describe: 'Sign the approved plan (--out) with this Ed25519 private key (PEM; see `keygen`), so that verify --trust-key accepts it',
    });
}

/** Reads --sign-key early, before any graph is loaded (a bad key is exit 2 at once). Needs --out. */
export function signingKey(args: PlanOutArgs): KeyObject | undefined {
  if (args.signKey === undefined) return undefined;
  if (args.out === undefined) throw new UsageError('--sign-key signs the approved plan: give --out FILE too');
  return readPrivateKeyFile(String(args.signKey));
}

/**
 * The positional IDs and those after `--` (yargs keeps those apart, in argv['--'], and never reads them as options),
 * as strings: an ID that begins with "-" can be given as `plan --graph g.json -- -id`.
 */
export function dashedIds(positional: readonly unknown[] | undefined, args: object): string[] {
  const rest = (args as { '--'?: unknown[] })['--'] ?? [];
  // A positional declared without a default comes as [undefined] when only `--` IDs are given: that is no ID.
  return [...(positional ?? []).filter((x) => x !== undefined), ...rest].map(String);
}

/** Parses --waves early, before any file is read. */
export function waveSpec(args: PlanOutArgs): WaveCount[] | undefined {
  if (args.waves === undefined) return undefined;
  try {
    return parseWaveSpec(String(args.waves));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * Checks --out before the graph is read: it must not be the graph, the mapping or an export it names, or any of
 * `inputs` (the manifest, its rehearsal), nor a directory, FIFO or socket.
 */
export function planOutput(args: PlanOutArgs, inputs: OutputInput[] = []): Promise<Output | undefined> {
  const keys: OutputInput[] = args.signKey !== undefined ? [{ path: String(args.signKey), role: 'the --sign-key file' }] : [];
  return openOutput(args.out, { option: '--out', inputs: [...inputs, ...keys], graphArgs: args });
}

/** A manifest and the rehearsal it names (a path relative to the manifest), as inputs an output must not replace. */
export function manifestInputs(manifest: string, rehearsal: string | undefined): OutputInput[] {
  const inputs: OutputInput[] = [{ path: manifest, role: 'the manifest' }];
  if (rehearsal !== undefined) inputs.push({ path: resolve(dirname(manifest), rehearsal), role: "the manifest's rehearsal plan" });
  return inputs;
}

export interface EmitContext {
  title?: string;
  anchors?: Anchors;
  graph: GraphIndex;
  /** The whole graph's fingerprint and counts when `graph` is only part of it (--backend neo4j). */
  snapshot?: { fingerprint: string; entities: number; relations: number };
  mode?: DeletionMode;
  planOptions?: PlanOptions;
  /** The checked --out (see planOutput). */
  out?: Output;
  /** What the plan was computed from, recorded in the approved plan so verify can compute it again. */
  request: PlanRequest;
  signKey?: KeyObject;
}

/**
 * Writes the approved plan when --out is given (before anything is printed, so a failed write leaves no report
 * claiming success), prints the report (and the waves) on stdout as it is produced, and returns the exit code.
 */
export async function emitPlan(result: PlanResult, args: PlanOutArgs, io: Io, ctx: EmitContext): Promise<number> {
  const spec = waveSpec(args);
  let approved: ApprovedPlan | undefined;
  if (spec || args.out !== undefined) {
    approved = approvePlan(ctx.graph, result, {
      mode: ctx.mode ?? 'soft',
      source: ctx.title,
      waves: spec,
      planOptions: ctx.planOptions,
      request: ctx.request,
      signKey: ctx.signKey,
      snapshot: ctx.snapshot,
    });
  }
  if (args.out !== undefined && approved) {
    const out = ctx.out ?? (await openOutput(args.out, { option: '--out' }))!;
    await out.write(jsonLinePieces(approved));
    const note = result.verdict === 'pass' ? '' : ` — but it FAILED its checks, so verify and guard will refuse it`;
    const signed = ctx.signKey ? `, signed by key ${keyId(ctx.signKey)}` : '';
    io.stderr(
      `blastguard: plan written to ${args.out} (${approved.roots.length} targets, ${approved.deleted.length} deletions, digest ${approved.digest}${signed})${note}\n`,
    );
  }
  const code = result.verdict === 'pass' ? EXIT.pass : EXIT.violations;
  io.exitCode = code; // decided before the report streams (see Io.exitCode)
  await emit(
    io,
    renderPlanPieces(result, args.format, {
      color: io.color,
      width: io.width,
      full: args.full,
      title: ctx.title,
      anchors: ctx.anchors,
      toolVersion: toolVersion(),
      graph: ctx.graph,
    }),
  );
  if (approved?.waves && (args.format === 'human' || args.format === 'markdown'))
    io.stdout(renderWaves(approved, args.format, { boundary: result.boundary, width: io.width }));
  return code;
}

/**
 * One help example as two lines: what it does as a shell comment, then the command alone on its line. yargs puts a
 * described example in a column half the help's width, which wraps a long command where it cannot be copied.
 */
export function ex(command: string, what: string): [string, string][] {
  return [
    [`# ${what}`, ''],
    [command, ''],
  ];
}
