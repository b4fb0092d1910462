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

/**
 * A jest global setup for a database suite: starts one server when the run selects any of `files`, and hands it to
 * the tests as JSON in `env` (host, port, superuser, password, pid, startMs). Missing or failing to start, the suite
 * is skipped with one line (`skipEnv` carries the reason), unless `requireEnv`=1 (set by .ci/run) makes it fail.
 */
export function databaseSuiteSetup({ name, files, available, start, env, skipEnv, requireEnv, globalKey }) {
  function selected(globalConfig) {
    const patterns = globalConfig.testPathPatterns;
    if (!patterns || typeof patterns.isSet !== 'function' || !patterns.isSet()) return true;
    const exec = patterns.toExecutor({ rootDir: globalConfig.rootDir });
    return files.some((f) => exec.isMatch(f));
  }
  return async function globalSetup(globalConfig) {
    if (!selected(globalConfig)) return;
    const required = process.env[requireEnv] === '1';
    const avail = available();
    if (!avail.ok) {
      if (required) throw new Error(`${requireEnv}=1 but the ${name} suite cannot run: ${avail.why}`);
      process.env[skipEnv] = avail.why;
      process.stderr.write(`\n${name} suite skipped: ${avail.why}\n`);
      return;
    }
    const t0 = Date.now();
    let server;
    try {
      server = await start();
    } catch (err) {
      if (required) throw err;
      process.env[skipEnv] = `${name} did not start: ${err.message}`;
      process.stderr.write(`\n${name} suite skipped: ${process.env[skipEnv]}\n`);
      return;
    }
    process.env[env] = JSON.stringify({
      host: server.host,
      port: server.port,
      superuser: server.superuser,
      password: server.password,
      pid: server.pid,
      startMs: Date.now() - t0,
    });
    globalThis[globalKey] = server;
  };
}
