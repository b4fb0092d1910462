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
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env };
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
