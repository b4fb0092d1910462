// Helpers for the execution tests: run the real CLI (bin/blastguard, built by `npm test`'s pretest) as a user
// would, in temporary folders.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../helpers/cli.js';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'blastguard');
export const TENANT = join(ROOT, 'samples', 'tenant.json');
export const CLEANUP = join(ROOT, 'samples', 'manifests', 'legacy-app-cleanup.yaml');
export const INCIDENT = join(ROOT, 'samples', 'manifests', 'incident-replay.yaml');

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

// The CLI runs through the one shared runner (in-process when it can be, spawned otherwise).
export { run, type Run } from '../helpers/cli.js';

/** Runs any node script (e.g. a sample maintenance script). */
export function runNode(args: string[], opts: { cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', input: '', cwd: opts.cwd ?? ROOT, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'bg-exec-'));
}

export function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const LEGACY_INSTALLS = [
  'app-install:acme-prod/jira-software/legacy-asset-mgmt',
  'app-install:acme-prod/jsm/legacy-asset-mgmt',
  'app-install:acme-sandbox/jira-software/legacy-asset-mgmt',
  'app-install:globex/jsm/legacy-asset-mgmt',
  'app-install:initech/jira-software/legacy-asset-mgmt',
];
