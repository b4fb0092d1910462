// Runs the real CLI (bin/blastguard, built by `npm test`'s pretest) as a user would, in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'blastguard');
export const SAMPLE = join(ROOT, 'samples', 'tenant.json');
export const MANIFESTS = join(ROOT, 'samples', 'manifests');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Run {
  const env = { ...process.env, ...opts.env };
  delete env.FORCE_COLOR;
  const r = spawnSync(BIN, args, { cwd: opts.cwd ?? ROOT, input: opts.input, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory with the given files written into it. */
export function tmpFiles(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'blastguard-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** No stack-trace lines ("    at foo (file:1:2)") in the text. */
export function hasStack(text: string): boolean {
  return /^\s+at .+[:(]/m.test(text);
}
