// A throwaway PostgreSQL server for the tests: Debian's binaries (/usr/lib/postgresql/N/bin, the newest N, or
// BLASTGUARD_PG_BIN), a fresh data directory in a temporary folder, a free localhost port, password logins over TCP
// (scram-sha-256), fsync off. PostgreSQL refuses to run as root, so as root the server (and initdb) run as the
// unprivileged `postgres` user (Debian's package creates it), else `nobody`, through setpriv, which execs in place:
// the pid we hold is the server's own.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

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

/** The account to run as when we are root: { uid, gid, name }, or null when not root. */
function runAs() {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) {
      const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
      return { uid: Number(r.stdout.trim()), gid, name };
    }
  }
  return null;
}

/** { ok, why }: whether a server can be started here. */
export function postgresAvailable() {
  const bin = findBin();
  if (!bin) return { ok: false, why: 'PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/postgres; apt-get install postgresql)' };
  if (process.getuid?.() === 0 && !runAs()) return { ok: false, why: 'running as root and there is no postgres or nobody user to run PostgreSQL as' };
  if (process.getuid?.() === 0 && !existsSync('/usr/bin/setpriv'))
    return { ok: false, why: 'running as root without setpriv (util-linux) to drop privileges for PostgreSQL' };
  return { ok: true, bin };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function command(bin, user, program, args) {
  const exe = path.join(bin, program);
  if (!user) return { cmd: exe, args };
  return { cmd: '/usr/bin/setpriv', args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', exe, ...args] };
}

function chownTree(dir, user) {
  if (!user) return;
  chownSync(dir, user.uid, user.gid);
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    if (f.isDirectory()) chownTree(p, user);
    else chownSync(p, user.uid, user.gid);
  }
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
  const { openSync } = await import('node:fs');
  const fd = openSync(log, 'a');
  const child = spawn(srv.cmd, srv.args, { env, cwd: dir, stdio: ['ignore', fd, fd], detached: true });
  child.unref();
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited)
      throw new Error(`PostgreSQL exited at start (${exited.code ?? exited.signal}): ${readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' ')}`);
    if (readFileSync(log, 'utf8').includes('ready to accept connections') && (await canConnect(port))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`PostgreSQL was not ready after ${options.timeoutMs ?? 60_000} ms`);
    }
    await sleep(100);
  }
  const stop = async () => {
    if (!exited) {
      // SIGINT: "fast" shutdown (ends sessions, no waiting for clients).
      child.kill('SIGINT');
      for (let i = 0; i < 200 && !exited; i++) await sleep(50);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { host: '127.0.0.1', port, dir, pid: child.pid, superuser: SUPERUSER, password: options.password ?? PASSWORD, log, stop };
}
