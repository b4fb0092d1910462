// The launcher's code cache (src/cli/launch.ts): written after a command runs, used by the next run of it, refused
// when damaged or kept where others may write, never changing what a command prints or its exit code. Spawns the real
// bin with NODE_COMPILE_CACHE pointing at a fresh directory and reads the launcher's trace.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { BIN, ROOT, SAMPLE, workdir } from '../helpers/cli.js';

const PLAN = ['plan', 'site:globex', '--graph', SAMPLE];

function blastguard(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', BLASTGUARD_TRACE_CODE_CACHE: '1', ...env },
  });
  const trace = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('code cache: '))
    .map((l) => l.slice('code cache: '.length));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^code cache: .*\n/gm, ''), trace };
}

/** The plan as printed with no cache at all: what every cached run must print too. */
const reference = () => blastguard(PLAN, { NODE_DISABLE_COMPILE_CACHE: '1' });

const cacheFiles = (dir: string) => (existsSync(join(dir, 'blastguard')) ? readdirSync(join(dir, 'blastguard')).sort() : []);

describe('the launcher keeps V8 code per command', () => {
  test('a first run writes the cache, the next uses it, and both print what an uncached run prints', () => {
    const ref = reference();
    expect(ref.code).toBe(1); // the sample's globex plan is a FAIL
    expect(ref.trace).toEqual([expect.stringMatching(/^running .*\/dist\/bundle\/cli\.cjs$/)]); // disabled: no cache read or written
    const dir = workdir();
    const first = blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    expect(first.trace.some((l) => /^wrote .*\/blastguard\/plan\.[0-9a-f]{8}\.v\d.*\.v8 \(\d+ bytes\)$/.test(l))).toBe(true);
    const second = blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    expect(second.trace.some((l) => /\.v8: accepted$/.test(l))).toBe(true);
    expect(second.trace.some((l) => l.startsWith('wrote'))).toBe(false); // an accepted cache is not rewritten
    for (const r of [first, second])
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: ref.code, stdout: ref.stdout, stderr: ref.stderr });
    // One file per command: --help gets its own, the plan's stays.
    blastguard(['--help'], { NODE_COMPILE_CACHE: dir });
    expect(cacheFiles(dir).map((f) => f.split('.')[0])).toEqual(['other', 'plan']);
    // A run that ends in a usage or input error (exit 2) writes nothing: a mistyped command leaves no file.
    for (const args of [
      ['plna', 'site:globex'],
      ['check', '/no/such/manifest.yaml', '--graph', SAMPLE],
    ]) {
      const r = blastguard(args, { NODE_COMPILE_CACHE: dir });
      expect(r.code).toBe(2);
      expect(r.trace.some((l) => l.startsWith('wrote'))).toBe(false);
    }
    expect(cacheFiles(dir).map((f) => f.split('.')[0])).toEqual(['other', 'plan']);
  });

  test('a damaged cache is refused by V8, the command runs from source, and the cache is written again', () => {
    const ref = reference();
    const dir = workdir();
    blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    const [name] = cacheFiles(dir);
    const file = join(dir, 'blastguard', name);
    const good = readFileSync(file);
    for (const damaged of [Buffer.alloc(good.length, 0x41), good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
      writeFileSync(file, damaged);
      const r = blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
      expect(r.trace.some((l) => l.endsWith(': rejected by V8'))).toBe(true);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: ref.code, stdout: ref.stdout, stderr: ref.stderr });
      expect(readFileSync(file).equals(damaged)).toBe(false); // rewritten
      expect(blastguard(PLAN, { NODE_COMPILE_CACHE: dir }).trace.some((l) => l.endsWith('.v8: accepted'))).toBe(true); // and whole
    }
  });

  test("an older bundle's cache of the same command and install is removed when a new one is written; other commands' and installs' stay", () => {
    const dir = workdir();
    blastguard(['--help'], { NODE_COMPILE_CACHE: dir });
    const [help] = cacheFiles(dir);
    const install = help.split('.')[1]; // the hash of the bundle's path
    const stale = `plan.${install}.v0.0.0-linux-x64-00000000-0-0-0.v8`;
    const elsewhere = 'plan.0badc0de.v0.0.0-linux-x64-00000000-0-0-0.v8'; // another install's: kept
    writeFileSync(join(dir, 'blastguard', stale), 'old');
    writeFileSync(join(dir, 'blastguard', elsewhere), 'other');
    blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    const files = cacheFiles(dir);
    expect(files).not.toContain(stale);
    expect(files).toContain(elsewhere);
    expect(files.filter((f) => f.startsWith(`plan.${install}.`))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('other.'))).toHaveLength(1);
  });

  test('a cache directory others may write to is not used (its code would run): no read, no write, same answer', () => {
    if (process.getuid?.() === undefined) return; // the ownership check is POSIX's
    const ref = reference();
    const dir = workdir();
    blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    chmodSync(join(dir, 'blastguard'), 0o777);
    const r = blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    expect(r.trace.some((l) => /is not this user's own directory: not used$/.test(l))).toBe(true);
    expect(r.trace.some((l) => /accepted|rejected|^wrote/.test(l))).toBe(false);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: ref.code, stdout: ref.stdout, stderr: ref.stderr });
  });

  test('a cache that cannot be written (a file where the directory should be) changes nothing but the speed', () => {
    const ref = reference();
    const dir = workdir({ blastguard: 'not a directory' });
    const r = blastguard(PLAN, { NODE_COMPILE_CACHE: dir });
    expect(r.trace.some((l) => l.startsWith('not used: '))).toBe(true);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: ref.code, stdout: ref.stdout, stderr: ref.stderr });
  });
});
