// Runs the built CLI (bin/blastguard) as a user would, in a child process, and collects what it printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
export const bin = join(repo, 'bin', 'blastguard');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? repo, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory with the given files (a `.gz` name is gzipped; Buffers are written as they are). */
export function workdir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'blastguard-ingest-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    writeFileSync(path, name.endsWith('.gz') && typeof content === 'string' ? gzipSync(data) : data);
  }
  return dir;
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
