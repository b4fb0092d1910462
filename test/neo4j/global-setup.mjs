// Jest global setup for the Neo4j suite (test/neo4j/): starts the real Neo4j 5.26 servers of servers.mjs in the
// background, so the other suites run while they boot. Tests wait for a server through its state file,
// `${BLASTGUARD_NEO4J_STATE}/NAME.json` ({ uri, port, home, pid } once ready, or { error }); the names of the
// shared pool's servers are in BLASTGUARD_NEO4J_SHARED (comma-separated).
//  - Java or Maven missing: the suite is skipped, with one line saying why (BLASTGUARD_NEO4J_SKIP carries it).
//  - BLASTGUARD_REQUIRE_NEO4J=1 (set by .ci/run): missing Java or Maven fails the run instead.
//  - A server is not started when the run selects none of the test files that use it.
import { mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { javaAndMavenAvailable, startNeo4j } from '../neo4j-server/server.mjs';
import { SERVERS, SHARED_POOL, START_TIMEOUT_MS } from './servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** How many of `files` the run selects. */
function selected(globalConfig, files) {
  const patterns = globalConfig.testPathPatterns;
  if (!patterns || typeof patterns.isSet !== 'function' || !patterns.isSet()) return files.length;
  const exec = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return files.filter((f) => exec.isMatch(path.join(HERE, f))).length;
}

/** The servers to start, by state-file name: the shared pool's are shared-1, shared-2, … */
function instances(globalConfig) {
  const out = [];
  for (const [name, s] of Object.entries(SERVERS)) {
    const n = selected(globalConfig, s.files);
    if (!n) continue;
    if (name !== 'shared') out.push([name, s]);
    else for (let i = 1; i <= Math.min(n, SHARED_POOL); i++) out.push([`shared-${i}`, s]);
  }
  return out;
}

function writeState(file, state) {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

export default async function globalSetup(globalConfig) {
  const wanted = instances(globalConfig);
  if (!wanted.length) return;
  const required = process.env.BLASTGUARD_REQUIRE_NEO4J === '1';
  const tools = javaAndMavenAvailable();
  if (!tools.ok) {
    if (required) throw new Error(`BLASTGUARD_REQUIRE_NEO4J=1 but the Neo4j suite cannot run: ${tools.why}`);
    const why = `${tools.why.split('\n')[0]} (Java 17+ and Maven start a real Neo4j for test/neo4j/)`;
    process.env.BLASTGUARD_NEO4J_SKIP = why;
    process.stderr.write(`\nNeo4j suite skipped: ${why}\n`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'blastguard-neo4j-state-'));
  process.env.BLASTGUARD_NEO4J_STATE = dir;
  process.env.BLASTGUARD_NEO4J_SHARED = wanted
    .map(([name]) => name)
    .filter((name) => name.startsWith('shared-'))
    .join(',');
  const starting = wanted.map(([name, s]) => {
    const file = path.join(dir, `${name}.json`);
    const t0 = Date.now();
    return startNeo4j({ timeoutMs: START_TIMEOUT_MS, ...s.options }).then(
      (neo) => {
        writeState(file, { uri: neo.uri, port: neo.port, home: neo.home, pid: neo.pid, startMs: Date.now() - t0 });
        return neo;
      },
      (err) => {
        writeState(file, { error: String(err?.message ?? err) });
        return null;
      },
    );
  });
  globalThis.__BLASTGUARD_NEO4J__ = { starting, dir };
}
