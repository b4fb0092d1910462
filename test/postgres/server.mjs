// A throwaway PostgreSQL server for the tests: Debian's binaries (/usr/lib/postgresql/N/bin, the newest N, or
// BLASTGUARD_PG_BIN), a fresh data directory in a temporary folder, a free localhost port, password logins over TCP
// (scram-sha-256), fsync off. PostgreSQL refuses to run as root, so as root the server (and initdb) run as the
// unprivileged `postgres` user (Debian's package creates it), else `nobody`, through setpriv, which execs in place:
// the pid we hold is the server's own.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chownTree, command as asUser, freePort, rootProblem, runAs as runAsOneOf, stopServer, waitReady } from '../helpers/servers.mjs';

export const SUPERUSER = 'postgres';
export const PASSWORD = 'bg-test-Pw-1';

/** The folder with initdb and postgres, or null. */
export function findBin() {
  if (process.env.BLASTGUARD_PG_BIN) return existsSync(path.join(process.env.BLASTGUARD_PG_BIN, 'postgres')) ? process.env.BLASTGUARD_PG_BIN : null;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'postgres')) && existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

const ACCOUNTS = ['postgres', 'nobody'];
const runAs = () => runAsOneOf(ACCOUNTS);

/** { ok, why }: whether a server can be started here. */
export function postgresAvailable() {
  const bin = findBin();
  if (!bin) return { ok: false, why: 'PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/postgres; apt-get install postgresql)' };
  const why = rootProblem(ACCOUNTS, 'PostgreSQL');
  if (why) return { ok: false, why };
  return { ok: true, bin };
}

function command(bin, user, program, args) {
  return asUser(path.join(bin, program), user, args);
}

/**
 * Starts a server; resolves to { host, port, dir, pid, superuser, password, log, stop() } once it accepts
 * connections (the log says "ready to accept connections").
 */
export async function startPostgres(options = {}) {
  const avail = postgresAvailable();
  if (!avail.ok) throw new Error(avail.why);
  const bin = avail.bin;
  const user = runAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blastguard-pg-'));
  chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  writeFileSync(pwfile, `${options.password ?? PASSWORD}\n`, { mode: 0o600 });
  chownTree(dir, user);
  const env = { ...process.env, HOME: dir, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  const init = command(bin, user, 'initdb', [
    '-D',
    data,
    '-U',
    SUPERUSER,
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '-E',
    'UTF8',
    '--no-locale',
    '-N',
    '--no-instructions',
  ]);
  const r = spawnSync(init.cmd, init.args, { env, encoding: 'utf8', cwd: dir });
  if (r.status !== 0) throw new Error(`initdb failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ')}`);
  rmSync(pwfile, { force: true });
  const port = options.port ?? (await freePort());
  const log = path.join(dir, 'server.log');
  writeFileSync(log, '');
  chownTree(dir, user);
  const settings = [
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${dir}`,
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_connections=60',
    'shared_buffers=32MB',
    'log_min_messages=warning',
  ];
  const srv = command(bin, user, 'postgres', ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])]);
  const fd = openSync(log, 'a');
  const child = spawn(srv.cmd, srv.args, { env, cwd: dir, stdio: ['ignore', fd, fd], detached: true });
  child.unref();
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  await waitReady({ name: 'PostgreSQL', child, exited: () => exited, log, ready: /ready to accept connections/, port, timeoutMs: options.timeoutMs ?? 60_000 });
  const stop = async () => {
    // SIGINT: "fast" shutdown (ends sessions, no waiting for clients).
    await stopServer(child, () => exited, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
  };
  return { host: '127.0.0.1', port, dir, pid: child.pid, superuser: SUPERUSER, password: options.password ?? PASSWORD, log, stop };
}
