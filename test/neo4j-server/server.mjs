// Test-only Neo4j 5.26 Community server (embedded, Bolt only, no auth) started from Node.
// No dependencies beyond Node built-ins. See README.md in this folder.
//
//   import { startNeo4j } from './server.mjs';
//   const neo = await startNeo4j();          // fresh temp home, free port
//   ... neo4j-driver against neo.uri (no auth) ...
//   await neo.stop();                        // SIGTERM, wait, remove the temp home
//
// CLI:  node test/neo4j-server/server.mjs fetch
//       node test/neo4j-server/server.mjs start [--port N] [--home DIR]

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = path.dirname(fileURLToPath(import.meta.url));
export const LIB_DIR = path.join(SERVER_DIR, 'lib');
const POM = path.join(SERVER_DIR, 'pom.xml');
const LAUNCHER = path.join(SERVER_DIR, 'Launcher.java');
// Launcher.java compiled once (javac against lib/) and put in a jar, so a start doesn't pay the source-launcher's
// in-memory compile each time, and the class path holds jars only (class data sharing refuses a directory on it).
// target/ is gitignored.
const LAUNCHER_DIR = path.join(SERVER_DIR, 'target', 'launcher');
const LAUNCHER_JAR = path.join(LAUNCHER_DIR, 'launcher.jar');
// The classes a quick server loads to start (and to run its first queries), dumped once by `fetch`
// (ensureClassArchive) and mapped by every quick start: the JVM then skips parsing and verifying them.
const CLASS_ARCHIVE = path.join(SERVER_DIR, 'target', 'neo4j-quick.jsa');
const READY_RE = /^NEO4J READY (bolt:\/\/\S+)\s*$/;

/** JVM flags: those Neo4j 5's own launcher/neo4j.conf passes, plus a few extra opens. */
export const JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '-Dfile.encoding=UTF-8',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
];

/**
 * For a JVM that lives a few minutes and runs each query shape a handful of times (the test suites): C1 only, no
 * C2. Most of a test server's CPU is warm-up — class loading, then compiling the Cypher planner and the Bolt path —
 * and C2's compiler threads take a core for much of it; C1 compiles fast and well enough for small graphs (a start
 * measured 13.4 s of CPU with C2, 8.3 s without). A quick start also maps the class archive `fetch` dumps
 * (ensureClassArchive): 5.4-5.9 s of CPU to ready against 12.2-13.5 s for a plain start, in pairs measured side by
 * side on a loaded 2-core machine. Not for the benchmarks, which want peak speed.
 */
export const QUICK_JVM_FLAGS = ['-XX:TieredStopAtLevel=1'];

function javaBin() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function neo4jVersion() {
  const m = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!m) throw new Error(`cannot find <neo4j.version> in ${POM}`);
  return m[1].trim();
}

/** True when lib/ holds the jars of the Neo4j version pinned in pom.xml. */
function jarsPresent() {
  if (!existsSync(LIB_DIR)) return false;
  const files = readdirSync(LIB_DIR);
  return files.some((f) => f.endsWith('.jar')) && files.includes(`neo4j-${neo4jVersion()}.jar`);
}

/** Checks that `java -version` (17+) and `mvn -version` run. Synchronous. */
export function javaAndMavenAvailable() {
  const j = spawnSync(javaBin(), ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (j.error || j.status !== 0) {
    return { ok: false, why: `java not runnable: ${j.error?.message ?? (j.stderr || '').trim()}` };
  }
  const vm = /version "(\d+)(?:\.(\d+))?/.exec(j.stderr || '');
  if (vm) {
    const major = Number(vm[1]) === 1 ? Number(vm[2]) : Number(vm[1]);
    if (major < 17) return { ok: false, why: `Neo4j 5 needs Java 17+, found Java ${major}` };
  }
  const m = spawnSync('mvn', ['-version'], { encoding: 'utf8', timeout: 60_000 });
  if (m.error || m.status !== 0) {
    return { ok: false, why: `mvn not runnable: ${m.error?.message ?? (m.stderr || m.stdout || '').trim()}` };
  }
  return { ok: true };
}

function run(cmd, args, opts) {
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, error, out });
      return;
    }
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (error) => resolve({ code: null, error, out }));
    child.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

let fetching = null;

/**
 * Makes sure lib/ holds the Neo4j jars: runs `mvn dependency:copy-dependencies` (Maven
 * Central, cached in ~/.m2) into a temp folder and renames it to lib/, so an interrupted
 * fetch never leaves a half-filled lib/. Throws if mvn fails.
 */
export async function ensureJars() {
  if (jarsPresent()) return;
  if (!fetching) {
    fetching = fetchJars().finally(() => {
      fetching = null;
    });
  }
  return fetching;
}

async function fetchJars() {
  const tmp = path.join(SERVER_DIR, `lib.tmp-${process.pid}-${Date.now()}`);
  try {
    const r = await run('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`], { cwd: SERVER_DIR });
    if (r.code !== 0) {
      const why = r.error ? r.error.message : `exit ${r.code ?? r.signal}`;
      throw new Error(`neo4j-server: 'mvn dependency:copy-dependencies' failed (${why}) in ${SERVER_DIR}\n` + r.out.slice(-4000));
    }
    if (jarsPresent()) return; // another process won the race
    rmSync(LIB_DIR, { recursive: true, force: true }); // stale version or empty
    try {
      renameSync(tmp, LIB_DIR);
    } catch (e) {
      if (!jarsPresent()) throw e;
    }
    if (!jarsPresent()) {
      throw new Error(`neo4j-server: mvn succeeded but ${LIB_DIR} has no neo4j-${neo4jVersion()}.jar`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function javacBin() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
}

function jarBin() {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'jar') : 'jar';
}

const newerThanSource = (file) => existsSync(file) && statSync(file).mtimeMs >= statSync(LAUNCHER).mtimeMs;

/** Compiles Launcher.java into target/launcher/launcher.jar when missing or older than the source. */
async function ensureLauncherCompiled() {
  if (newerThanSource(LAUNCHER_JAR)) return;
  const tmp = `${LAUNCHER_DIR}.tmp-${process.pid}-${Date.now()}`;
  try {
    const classes = path.join(tmp, 'classes');
    const steps = [
      [javacBin(), ['-nowarn', '-encoding', 'UTF-8', '-d', classes, '-cp', path.join(LIB_DIR, '*'), LAUNCHER]],
      [jarBin(), ['cf', path.join(tmp, 'launcher.jar'), '-C', classes, '.']],
    ];
    for (const [cmd, args] of steps) {
      const r = await run(cmd, args, { cwd: SERVER_DIR });
      if (r.code !== 0) {
        const why = r.error ? r.error.message : `exit ${r.code ?? r.signal}`;
        throw new Error(`neo4j-server: ${path.basename(cmd)} for Launcher.java failed (${why})\n${r.out.slice(-4000)}`);
      }
    }
    if (newerThanSource(LAUNCHER_JAR)) return; // a concurrent process built it meanwhile: don't pull it away
    rmSync(LAUNCHER_DIR, { recursive: true, force: true });
    try {
      renameSync(tmp, LAUNCHER_DIR);
    } catch (e) {
      if (!existsSync(LAUNCHER_JAR)) throw e; // else a concurrent build won
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** True when the class archive is newer than the launcher jar and the Neo4j jars it was dumped from. */
function classArchiveFresh() {
  if (!existsSync(CLASS_ARCHIVE) || !existsSync(LAUNCHER_JAR)) return false;
  const t = statSync(CLASS_ARCHIVE).mtimeMs;
  return t >= statSync(LAUNCHER_JAR).mtimeMs && t >= statSync(path.join(LIB_DIR, `neo4j-${neo4jVersion()}.jar`)).mtimeMs;
}

/**
 * Dumps the class archive quick starts map (AppCDS, -XX:ArchiveClassesAtExit): one quick server started on a
 * throwaway home, warmed with a few queries, stopped. Run by `fetch` (in CI before the tests); a start without the
 * archive works, only slower. A JVM that no longer matches the archive (another Java build, other jars) ignores it.
 */
export async function ensureClassArchive() {
  await ensureJars();
  await ensureLauncherCompiled();
  if (classArchiveFresh()) return;
  const tmp = `${CLASS_ARCHIVE}.tmp-${process.pid}-${Date.now()}`;
  try {
    // The JVM writes the archive as it exits: give it time to.
    const neo = await startNeo4j({ quick: true, dumpClassesTo: tmp, timeoutMs: 600_000, stopTimeoutMs: 600_000 });
    await neo.stop();
    const { code, signal } = await neo.exited;
    if (!existsSync(tmp)) throw new Error(`neo4j-server: the JVM wrote no class archive (exit ${code ?? signal})\n${neo.stderr().slice(-4000)}`);
    if (!classArchiveFresh()) renameSync(tmp, CLASS_ARCHIVE);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, close). */
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

async function tailOf(file, n = 3000) {
  try {
    const s = await readFile(file, 'utf8');
    return s.slice(-n);
  } catch {
    return '';
  }
}

// Live servers of this process, by home dir: lets stop() of a crashed server hand the
// removal of its temp home over to a server restarted on the same home.
const liveByHome = new Map();

/**
 * Starts Neo4j and resolves once the `neo4j` database accepts Bolt connections.
 *
 * @param {object} [o]
 * @param {number} [o.port]   Bolt port on 127.0.0.1; a free one when omitted.
 * @param {string} [o.home]   Existing/reusable home dir (data/, logs/). When omitted a fresh
 *                            temp dir is made. A home passed in is never removed unless
 *                            removeHomeOnStop is true.
 * @param {boolean} [o.removeHomeOnStop]  Default: true only for a home this call created.
 * @param {number} [o.timeoutMs=180000]   Time allowed to reach readiness.
 * @param {string} [o.heap='1g']          -Xmx.
 * @param {number} [o.stopTimeoutMs=20000] SIGTERM grace before SIGKILL in stop().
 * @param {string} [o.password]          Enable authentication; user `neo4j` gets this password.
 * @param {number} [o.pagecacheMb=128]    Neo4j's page cache in MiB (raise it for graphs of a million entities).
 * @param {boolean} [o.quick]            QUICK_JVM_FLAGS: less CPU to start and warm up, less peak speed (tests).
 * @returns {Promise<{uri:string, port:number, home:string, pid:number,
 *   stop:()=>Promise<void>, kill:()=>Promise<void>, exited:Promise<{code:number|null, signal:string|null}>}>}
 *   stop(): SIGTERM, wait (SIGKILL after stopTimeoutMs), remove the home if owned.
 *   kill(): SIGKILL (a crash), wait for exit; the home stays for a restart on it.
 *   Restart after a crash: `await a.kill(); const b = await startNeo4j({ home: a.home });`.
 *   a.stop() then leaves the home to b (b.stop() removes it), and whichever handle that
 *   owns the home stops last removes it. Calling a.stop() before b is started removes it.
 */
export async function startNeo4j(o = {}) {
  await ensureJars();
  await ensureLauncherCompiled();
  const ownsHome = !o.home;
  const home = o.home ? path.resolve(o.home) : await mkdtemp(path.join(os.tmpdir(), 'blastguard-neo4j-'));
  if (!ownsHome) mkdirSync(home, { recursive: true });
  const removeHomeOnStop = o.removeHomeOnStop ?? ownsHome;
  const attempts = o.port ? 1 : 3; // a picked free port can be taken before Java binds it
  let lastError;
  try {
    for (let i = 0; i < attempts; i++) {
      const port = o.port ?? (await freePort());
      try {
        return await launch({ ...o, home, port, removeHomeOnStop });
      } catch (e) {
        lastError = e;
        if (!/address already in use|BindException/i.test(e.message)) break;
      }
    }
  } catch (e) {
    lastError = e;
  }
  if (ownsHome) await rm(home, { recursive: true, force: true });
  throw lastError;
}

function launch({ home, port, removeHomeOnStop, timeoutMs = 180_000, heap = '1g', stopTimeoutMs = 20_000, password, pagecacheMb, quick, dumpClassesTo }) {
  const args = [
    `-Xmx${heap}`,
    ...JVM_FLAGS,
    ...(quick ? QUICK_JVM_FLAGS : []),
    ...(dumpClassesTo ? [`-XX:ArchiveClassesAtExit=${dumpClassesTo}`] : quick && classArchiveFresh() ? [`-XX:SharedArchiveFile=${CLASS_ARCHIVE}`] : []),
    '-cp',
    [path.join(LIB_DIR, '*'), LAUNCHER_JAR].join(path.delimiter),
    'Launcher',
    home,
    String(port),
    '--exit-on-stdin-eof', // the JVM shuts down if this Node process dies
  ];
  const env = { ...process.env };
  delete env.NEO4J_LAUNCHER_PASSWORD;
  if (password) env.NEO4J_LAUNCHER_PASSWORD = password;
  delete env.NEO4J_LAUNCHER_PAGECACHE_MB;
  if (pagecacheMb) env.NEO4J_LAUNCHER_PAGECACHE_MB = String(pagecacheMb);
  delete env.NEO4J_LAUNCHER_WARM_UP;
  if (dumpClassesTo) env.NEO4J_LAUNCHER_WARM_UP = '1';
  const child = spawn(javaBin(), args, { cwd: SERVER_DIR, stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderrTail = '';
  let stdoutBuf = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderrTail = (stderrTail + d).slice(-8000);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  child.stdin.on('error', () => {}); // EPIPE after the JVM is gone

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = async (msg) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      const debugLog = await tailOf(path.join(home, 'logs', 'debug.log'));
      reject(
        new Error(
          `neo4j-server: ${msg}\n--- java stderr (tail) ---\n${stderrTail.slice(-4000)}` +
            (debugLog ? `\n--- ${home}/logs/debug.log (tail) ---\n${debugLog}` : ''),
        ),
      );
    };
    const timer = setTimeout(() => fail(`not ready after ${timeoutMs} ms (port ${port})`), timeoutMs);
    child.on('error', (e) => fail(`cannot run ${javaBin()}: ${e.message}`));
    exited.then(({ code, signal }) => fail(`java exited before ready (code ${code}, signal ${signal})`));

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      if (settled) return; // keep draining
      stdoutBuf += d;
      let nl;
      while ((nl = stdoutBuf.indexOf('\n')) >= 0) {
        const line = stdoutBuf.slice(0, nl);
        stdoutBuf = stdoutBuf.slice(nl + 1);
        const m = READY_RE.exec(line);
        if (m) {
          settled = true;
          clearTimeout(timer);
          resolve(makeHandle({ child, exited, home, port, uri: m[1], removeHomeOnStop, stopTimeoutMs, getStderr: () => stderrTail }));
          return;
        }
      }
    });
  });
}

function makeHandle({ child, exited, home, port, uri, removeHomeOnStop, stopTimeoutMs, getStderr }) {
  const state = { removeHome: removeHomeOnStop };
  let peers = liveByHome.get(home);
  if (!peers) liveByHome.set(home, (peers = new Set()));
  peers.add(state);
  const alive = () => child.exitCode === null && child.signalCode === null;
  exited.then(() => {
    peers.delete(state);
    if (peers.size === 0 && liveByHome.get(home) === peers) liveByHome.delete(home);
  });

  let stopping = null;
  const handle = {
    uri,
    port,
    home,
    pid: child.pid,
    exited,
    /** Last ~8 KB the JVM wrote to stderr. */
    stderr: getStderr,
    async stop() {
      if (!stopping) {
        stopping = (async () => {
          if (alive()) {
            child.kill('SIGTERM');
            const t = setTimeout(() => alive() && child.kill('SIGKILL'), stopTimeoutMs);
            await exited;
            clearTimeout(t);
          }
          await exited;
          if (!state.removeHome) return;
          // Crashed server whose home a newer server (of this process) now runs on:
          // leave the home to that server's stop().
          const others = liveByHome.get(home);
          if (others && others.size > 0) {
            [...others][0].removeHome = true;
          } else {
            await rm(home, { recursive: true, force: true });
          }
        })();
      }
      return stopping;
    },
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
  return handle;
}

/**
 * Runs `neo4j-admin ARGS…` from the same jars (org.neo4j.cli.AdminTool) with NEO4J_HOME=home, so that
 * `database import full` writes the database a server started with `startNeo4j({ home })` opens.
 * Resolves to { code, out } (stdout and stderr together); never rejects for a non-zero exit.
 */
export async function runNeo4jAdmin(home, args, { heap = '1g', quick = false } = {}) {
  await ensureJars();
  mkdirSync(home, { recursive: true });
  const env = { ...process.env, NEO4J_HOME: home };
  delete env.NEO4J_CONF;
  const r = await run(
    javaBin(),
    [`-Xmx${heap}`, ...JVM_FLAGS, ...(quick ? QUICK_JVM_FLAGS : []), '-cp', path.join(LIB_DIR, '*'), 'org.neo4j.cli.AdminTool', ...args],
    { cwd: home, env },
  );
  return { code: r.code, out: r.out };
}

// ---- CLI -----------------------------------------------------------------------------

async function main(argv) {
  const [cmd, ...rest] = argv;
  const opt = (name) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (cmd === 'fetch') {
    const t0 = Date.now();
    await ensureJars();
    console.error(`neo4j jars ready in ${LIB_DIR} (${Date.now() - t0} ms)`);
    const t1 = Date.now();
    await ensureClassArchive();
    console.error(`class archive for quick starts ready in ${CLASS_ARCHIVE} (${Date.now() - t1} ms)`);
    return;
  }
  if (cmd === 'start') {
    const port = opt('--port') ? Number(opt('--port')) : undefined;
    const home = opt('--home');
    const t0 = Date.now();
    const neo = await startNeo4j({ port, home });
    console.log(neo.uri);
    console.error(`neo4j ready in ${Date.now() - t0} ms, pid ${neo.pid}, home ${neo.home}; Ctrl-C / SIGTERM stops it`);
    let stopping = false;
    const onSignal = async () => {
      if (stopping) return;
      stopping = true;
      await neo.stop();
      process.exit(0);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const { code, signal } = await neo.exited;
    if (!stopping) {
      console.error(`neo4j exited on its own (code ${code}, signal ${signal})\n${neo.stderr()}`);
      process.exit(1);
    }
    return;
  }
  console.error('usage: node server.mjs fetch | start [--port N] [--home DIR]');
  process.exit(2);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
