// Runs the real CLI (bin/blastguard, built by `npm test`'s pretest) as a user would, in a child process.
import { spawnSync } from 'node:child_process';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'blastguard');
export const SAMPLE = join(ROOT, 'samples', 'tenant.json');
export const MANIFESTS = join(ROOT, 'samples', 'manifests');
export const repo = ROOT;
export const bin = BIN;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Start bin/blastguard as a process even when the run could be served in-process (exit paths, the bin itself). */
  spawn?: boolean;
}

/**
 * Runs the CLI as a user would and returns its exit code and output. A run that needs nothing process-wide (no
 * stdin, no colour) is served by the in-process CLI (cli-worker.mjs: the same `cli()` bin/blastguard calls, in a
 * warm worker thread; a run in a working directory of its own goes on to a warm child process, cli-host.mjs, which
 * can change directory); anything else, or `spawn: true`, or BLASTGUARD_TEST_SPAWN=1 in the environment, spawns
 * bin/blastguard itself.
 */
export function run(args: string[], opts: RunOptions = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const ownDir = opts.cwd !== undefined && opts.cwd.replace(/\/$/, '') !== ROOT.replace(/\/$/, '');
  const inProcess =
    !opts.spawn &&
    process.env.BLASTGUARD_TEST_SPAWN !== '1' &&
    opts.input === undefined &&
    (ownDir || process.cwd() === ROOT.replace(/\/$/, '')) &&
    env.FORCE_COLOR === undefined;
  return inProcess ? runInWorker(args, env as Record<string, string>, ownDir ? opts.cwd : undefined) : runSpawned(args, opts, env);
}

/** Spawns bin/blastguard itself (its shebang included), with colour off unless the test's env turns it on. */
export function runSpawned(args: string[], opts: RunOptions = {}, env?: Record<string, string | undefined>): Run {
  if (!env) {
    env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  }
  const r = spawnSync(BIN, args, { cwd: opts.cwd ?? ROOT, input: opts.input, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const WORKER_TIMEOUT_MS = 120_000;
let worker: { thread: Worker; port: MessagePort; flag: Int32Array } | undefined;

/** One run in the warm worker (in `cwd`, through its host process), waited for synchronously; a worker that timed out or crashed is replaced. */
function runInWorker(args: string[], env: Record<string, string>, cwd?: string): Run {
  if (!worker) {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const cliUrl = pathToFileURL(join(ROOT, 'dist', 'bundle', 'cli.cjs')).href;
    const thread = new Worker(new URL('./cli-worker.mjs', import.meta.url), { workerData: { port: port2, flag, cliUrl }, transferList: [port2] });
    thread.unref();
    port1.unref();
    worker = { thread, port: port1, flag };
  }
  const w = worker;
  Atomics.store(w.flag, 0, 0);
  w.port.postMessage({ args, env, cwd });
  const waited = Atomics.wait(w.flag, 0, 0, WORKER_TIMEOUT_MS);
  const reply = receiveMessageOnPort(w.port)?.message as Run | undefined;
  if (waited === 'timed-out' || !reply) {
    worker = undefined;
    void w.thread.terminate();
    return { code: null, stdout: '', stderr: `the in-process CLI gave no answer in ${WORKER_TIMEOUT_MS / 1000} s\n` };
  }
  if (reply.code === null) {
    worker = undefined;
    void w.thread.terminate();
  }
  return reply;
}

/** A fresh temporary directory with the given files (a `.gz` name given a string is gzipped; Buffers are written as they are). */
export function workdir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'blastguard-test-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    writeFileSync(path, name.endsWith('.gz') && typeof content === 'string' ? gzipSync(data) : data);
  }
  return dir;
}
export const tmpFiles = workdir;

/** No stack-trace lines ("    at foo (file:1:2)") in the text. */
export function hasStack(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text);
}

/** The problem lines of a failed run (stderr without the "blastguard: " prefix). */
export function problems(r: Run): string[] {
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('blastguard: '))
    .map((l) => l.slice('blastguard: '.length));
}

export const SCHEMA_YAML = `schema:
  boundary: site
  relations:
    PART_OF: { onDelete: cascade }
    HOSTED_ON: { onDelete: cascade }
    MEMBER_OF: { onDelete: last-owner }
    LINKS: { onDelete: detach }
`;

/** A mapping file: the test schema (or `schema`) followed by `sources` (YAML text, indented as list items). */
export function mappingYaml(sources: string, schema = SCHEMA_YAML): string {
  return `${schema}sources:\n${sources}`;
}

export interface SnapshotOut {
  schema: { boundary: string; relations: Record<string, { onDelete: string }> };
  entities: { id: string; type: string; name?: string; protected?: boolean; attributes?: Record<string, unknown> }[];
  relations: { from: string; type: string; to: string }[];
}

/** Runs `ingest --out -` in `dir` and returns the run and the parsed snapshot (undefined when it failed). */
export function ingestIn(dir: string, extra: string[] = []): Run & { snap?: SnapshotOut } {
  const r = run(['ingest', '--mapping', 'mapping.yaml', '--out', '-', ...extra], { cwd: dir });
  return { ...r, snap: r.code === 0 ? (JSON.parse(r.stdout) as SnapshotOut) : undefined };
}

/** Relations as sorted "from TYPE to" strings. */
export const rels = (s: SnapshotOut | undefined) => (s?.relations ?? []).map((r) => `${r.from} ${r.type} ${r.to}`).sort();
/** An entity by ID. */
export const ent = (s: SnapshotOut | undefined, id: string) => s?.entities.find((e) => e.id === id);
