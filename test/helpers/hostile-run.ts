// Runs the real CLI on one hostile input and measures what a CI runner would suffer: wall time, peak memory of the
// child process (its maximum resident set, read by a Python wrapper through getrusage(RUSAGE_CHILDREN)), how it
// ended, and what it left behind. The hostile-input corpus (test/hostile/) asserts on these, per case:
//   exit code 2 (or the code the case expects), one problem line, no stack, bounded time and memory, no stray file,
//   no input changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, run } from './cli.js';

/**
 * The Python that runs the measuring wrapper, started the cheap way: the interpreter itself (not a version manager's
 * shell shim such as pyenv's, which costs a tenth of a second of CPU per run) with -S (no site packages: the
 * wrapper needs only the standard library). Hundreds of measured runs made that overhead a large part of the
 * hostile suites. Resolved once per test file.
 */
let python: string | undefined;
export function measureCommand(): [string, string[]] {
  if (python === undefined) {
    const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    const exe = r.status === 0 ? r.stdout.trim() : '';
    python = exe && existsSync(exe) ? exe : 'python3';
  }
  return [python, ['-S', '-c', MEASURE_WRAPPER]];
}

/** The measuring wrapper (Python): runs argv[3:] with a time limit, writes `code timedOut seconds maxrssKiB` to argv[1]. */
export const MEASURE_WRAPPER = `
import os, resource, subprocess, sys, time
out = sys.argv[1]; limit = float(sys.argv[2]); args = sys.argv[3:]
started = time.monotonic()
stdin = subprocess.DEVNULL if os.environ.get('HOSTILE_NO_STDIN') else None
try:
    p = subprocess.run(args, timeout=limit, stdin=stdin)
    code = p.returncode; timed_out = 0
except subprocess.TimeoutExpired:
    code = -9; timed_out = 1
wall = time.monotonic() - started
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out, 'w') as f:
    f.write('%d %d %f %d' % (code, timed_out, wall, rss))
`;

export interface HostileRun {
  /** Exit code; a negative number is the signal that ended the process (as Python reports it). */
  code: number;
  /** Killed because it ran past the time limit. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set of the child, in MiB. */
  peakMiB: number;
}

export interface HostileOptions {
  cwd?: string;
  /** Text (or bytes) on stdin; without it stdin is empty (/dev/null). */
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Seconds before the child is killed (default 30). */
  timeout?: number;
}

/** Spawns bin/blastguard with `args` under the measuring wrapper. */
export function runHostile(args: string[], opts: HostileOptions = {}): HostileRun {
  const measure = measureFile();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env };
  if (opts.input === undefined) env.HOSTILE_NO_STDIN = '1';
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const limit = opts.timeout ?? 30;
  const [exe, pre] = measureCommand();
  const r = spawnSync(exe, [...pre, measure, String(limit), BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: (limit + 30) * 1000,
  });
  return { ...readMeasure(measure), stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * The same run through the warm in-process CLI (`run()` in cli.ts, in the case's directory), for cases whose input is
 * a few bytes and whose point is the exit code, the line and the files left: no Node start-up per case. Only the wall
 * time is measured: `peakMiB` is NaN, so a bound on memory fails here (a case that bounds memory uses runHostile).
 * With input on stdin, it is runHostile.
 */
export function runQuick(args: string[], opts: HostileOptions = {}): HostileRun {
  if (opts.input !== undefined) return runHostile(args, opts);
  const started = performance.now();
  const r = run(args, { cwd: opts.cwd ?? ROOT, env: opts.env });
  return { code: r.code ?? -1, timedOut: false, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - started) / 1000, peakMiB: NaN };
}

/** A fresh path for the wrapper's measurement file. */
export function measureFile(): string {
  return join(tmpdir(), `blastguard-measure-${process.pid}-${Math.random().toString(36).slice(2)}`);
}

/** Reads and removes what the wrapper measured (missing only when the wrapper itself could not run: that throws). */
export function readMeasure(measure: string): Pick<HostileRun, 'code' | 'timedOut' | 'seconds' | 'peakMiB'> {
  let measured: string;
  try {
    measured = readFileSync(measure, 'utf8');
  } finally {
    rmSync(measure, { force: true });
  }
  const [c, t, w, rss] = measured.split(' ');
  // Linux reports ru_maxrss in kilobytes.
  return { code: Number(c), timedOut: t === '1', seconds: Number(w), peakMiB: Number(rss) / 1024 };
}

/** A fingerprint of every file under `dir` (name, kind, size, content hash), to assert that nothing changed. */
export function treeState(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path, `${prefix}${name}/`);
      else if (st.isFile()) lines.push(`${prefix}${name} ${st.size} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
      else lines.push(`${prefix}${name} ${st.isSymbolicLink() ? 'link' : 'special'}`);
    }
  };
  walk(dir, '');
  return lines.join('\n');
}

/** Temporary files a writer may have left beside its destination (`.name.pid.time.tmp`). */
export function strayTempFiles(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((n) => n.endsWith('.tmp')) : [];
}

/** The lines of stderr that are problems (`blastguard: …`), and whether anything looks like a stack trace. */
export function problemLines(r: HostileRun): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('blastguard: '));
}
