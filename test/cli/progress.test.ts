// The progress display: drawn on a terminal (a real pseudo-terminal via script(1)), never in a pipe, in CI or with
// --quiet. BLASTGUARD_PROGRESS_DELAY_MS=0 shows it from the start, so a small ingest is enough to see it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { bin, repo, run } from '../helpers/cli.js';

const mapping = join(repo, 'samples/exports/mapping.yaml');
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Runs the CLI on a pseudo-terminal; returns everything the terminal showed. */
function onTerminal(args: string[], env: Record<string, string | undefined>) {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, bin, ...args].map(quote).join(' ');
  const full: Record<string, string | undefined> = { ...process.env, BLASTGUARD_PROGRESS_DELAY_MS: '0', ...env };
  for (const k of Object.keys(full)) if (full[k] === undefined) delete full[k];
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repo, env: full, encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

describe('progress display', () => {
  test('not in a pipe', () => {
    const r = run(['ingest', '--mapping', mapping], { env: { BLASTGUARD_PROGRESS_DELAY_MS: '0', CI: undefined } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('records/s');
    expect(r.stderr).not.toContain('\r');
  });

  (hasScript ? test : test.skip)('on a terminal: records, bytes and rate, erased at the end; not in CI, not with --quiet', () => {
    const tty = onTerminal(['ingest', '--mapping', mapping], { CI: undefined });
    expect(tty.code).toBe(0);
    expect(tty.out).toMatch(/\r\[[#-]+\] +\d+% +[\d,]+ records +[\d.]+ K?B of [\d.]+ KB +[\d,]+ records\/s/);
    expect(tty.out).toContain('\r\u001b[K');
    expect(tty.out).toContain('ingested 181 entities');
    const ci = onTerminal(['ingest', '--mapping', mapping], { CI: 'true' });
    expect(ci.code).toBe(0);
    expect(ci.out).not.toContain('records/s');
    expect(ci.out).toContain('ingested 181 entities');
    const quiet = onTerminal(['ingest', '--quiet', '--mapping', mapping], { CI: undefined });
    expect(quiet.code).toBe(0);
    expect(quiet.out).toBe('');
  });
});
