// What the test suites' real database servers (test/postgres/server.mjs, test/mysql/server.mjs) share: a free
// localhost port, the unprivileged account to run a server as when we are root (through setpriv, which execs in
// place, so the pid we hold is the server's own), and waiting until the server accepts connections.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port nothing listens on right now (the server binds it a moment later). */
export function freePort() {
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

export function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The first of `names` that exists, as { uid, gid, name }, when we are root; null when not root (or none exists). */
export function runAs(names) {
  if (process.getuid?.() !== 0) return null;
  for (const name of names) {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (r.status === 0) {
      const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
      return { uid: Number(r.stdout.trim()), gid, name };
    }
  }
  return null;
}

/** Why an unprivileged server cannot be started as root here, or null. */
export function rootProblem(names, what) {
  if (process.getuid?.() !== 0) return null;
  if (!runAs(names)) return `running as root and there is no ${names.join(' or ')} user to run ${what} as`;
  if (!existsSync('/usr/bin/setpriv')) return `running as root without setpriv (util-linux) to drop privileges for ${what}`;
  return null;
}

/** `exe args`, run as `user` through setpriv when one is given. */
export function command(exe, user, args) {
  if (!user) return { cmd: exe, args };
  return { cmd: '/usr/bin/setpriv', args: [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', exe, ...args] };
}

export function chownTree(dir, user) {
  if (!user) return;
  chownSync(dir, user.uid, user.gid);
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    if (f.isDirectory()) chownTree(p, user);
    else chownSync(p, user.uid, user.gid);
  }
}

/**
 * Waits until the server's log holds `ready` and its port accepts connections; throws with the log's last lines
 * when the process exits first or `timeoutMs` passes (the process is then killed).
 */
export async function waitReady({ name, child, exited, log, ready, port, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  const tail = () => readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' ');
  for (;;) {
    const e = exited();
    if (e) throw new Error(`${name} exited at start (${e.code ?? e.signal}): ${tail()}`);
    if (ready.test(readFileSync(log, 'utf8')) && (await canConnect(port))) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready after ${timeoutMs} ms: ${tail()}`);
    }
    await sleep(100);
  }
}

/** Stops a server with `signal`, then SIGKILL after 10 s. */
export async function stopServer(child, exited, signal) {
  if (exited()) return;
  child.kill(signal);
  for (let i = 0; i < 200 && !exited(); i++) await sleep(50);
  if (!exited()) child.kill('SIGKILL');
}
