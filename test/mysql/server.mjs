// A throwaway MariaDB (or MySQL) server for the tests: Debian's mariadbd and mariadb-install-db (or
// BLASTGUARD_MARIADB_BIN, a folder holding mariadbd), a fresh data directory in a temporary folder, a free
// localhost port, no Unix socket shared with the machine, InnoDB with durability off. As root the server (and the
// install) run as the unprivileged `mysql` user (Debian's package creates it), else `nobody`, through setpriv.
// The superuser `root` logs in over TCP with PASSWORD (an init file creates root@'%').
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chownTree, command, freePort, rootProblem, runAs, stopServer, waitReady } from '../helpers/servers.mjs';

export const SUPERUSER = 'root';
export const PASSWORD = 'bg-test-My-1';
const ACCOUNTS = ['mysql', 'nobody'];

/** { server, install } paths, or null. */
export function findBin() {
  const dir = process.env.BLASTGUARD_MARIADB_BIN;
  const server = dir ? path.join(dir, 'mariadbd') : '/usr/sbin/mariadbd';
  const install = dir ? path.join(dir, 'mariadb-install-db') : '/usr/bin/mariadb-install-db';
  return existsSync(server) && existsSync(install) ? { server, install } : null;
}

/** { ok, why }: whether a server can be started here. */
export function mariadbAvailable() {
  const bin = findBin();
  if (!bin) return { ok: false, why: 'MariaDB is not installed (no /usr/sbin/mariadbd; apt-get install mariadb-server)' };
  const why = rootProblem(ACCOUNTS, 'MariaDB');
  if (why) return { ok: false, why };
  return { ok: true, bin };
}

const sqlString = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Starts a server; resolves to { host, port, dir, pid, superuser, password, log, stop() } once it accepts connections. */
export async function startMariadb(options = {}) {
  const avail = mariadbAvailable();
  if (!avail.ok) throw new Error(avail.why);
  const { bin } = avail;
  const user = runAs(ACCOUNTS);
  const password = options.password ?? PASSWORD;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blastguard-mariadb-'));
  chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const init = path.join(dir, 'init.sql');
  writeFileSync(
    init,
    [
      // The install makes root@localhost, root@127.0.0.1, root@::1 and root@HOSTNAME; TCP logins from 127.0.0.1 match
      // the second, so every one gets the password.
      ...['localhost', '127.0.0.1', '::1'].map((h) => `ALTER USER IF EXISTS 'root'@'${h}' IDENTIFIED BY ${sqlString(password)};`),
      `CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY ${sqlString(password)};`,
      `GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chownTree(dir, user);
  const env = { ...process.env, HOME: dir, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  const install = command(bin.install, user, [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
  ]);
  const r = spawnSync(install.cmd, install.args, { env, encoding: 'utf8', cwd: dir });
  if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ')}`);
  const port = options.port ?? (await freePort());
  const log = path.join(dir, 'server.log');
  writeFileSync(log, '');
  chownTree(dir, user);
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${path.join(dir, 'mysqld.sock')}`,
    `--pid-file=${path.join(dir, 'mysqld.pid')}`,
    `--log-error=${log}`,
    `--init-file=${init}`,
    '--skip-name-resolve',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--innodb-buffer-pool-size=64M',
    '--innodb-log-file-size=16M',
    '--performance-schema=OFF',
    '--max-connections=60',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_bin',
  ];
  const srv = command(bin.server, user, args);
  const fd = openSync(log, 'a');
  const child = spawn(srv.cmd, srv.args, { env, cwd: dir, stdio: ['ignore', fd, fd], detached: true });
  child.unref();
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  await waitReady({ name: 'MariaDB', child, exited: () => exited, log, ready: /ready for connections/, port, timeoutMs: options.timeoutMs ?? 60_000 });
  const stop = async () => {
    // SIGTERM: a normal shutdown.
    await stopServer(child, () => exited, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  return { host: '127.0.0.1', port, dir, pid: child.pid, superuser: SUPERUSER, password, log, stop };
}
