// Runs one step of the GitHub Action (scripts/action.mjs) as the runner does: inputs as INPUT_* variables, and
// fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_ENV files, read back after the step.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

const SCRIPT = join(ROOT, 'scripts', 'action.mjs');

/** Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM … DELIM` blocks. */
export function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(\S+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
  }
  return out;
}

/** Runs one step of the action the way the runner does: inputs as INPUT_* variables, GitHub's files fresh. */
export function step(cwd: string, name: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const files = { GITHUB_OUTPUT: join(cwd, '.gh-output'), GITHUB_STEP_SUMMARY: join(cwd, '.gh-summary'), GITHUB_ENV: join(cwd, '.gh-env') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, v]));
  const r = spawnSync(process.execPath, [SCRIPT, name], { cwd, encoding: 'utf8', env: { ...process.env, ...files, ...inputEnv, ...env }, timeout: 240_000 });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: readOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    env: readOutputs(readFileSync(files.GITHUB_ENV, 'utf8')),
  };
}
