// Jest global setup for the MariaDB suite (test/mysql/, test/hostile/mysql.test.ts): starts one real MariaDB server
// (server.mjs) when the run selects any of those files, and hands it to the tests through BLASTGUARD_MARIADB
// (JSON: host, port, superuser, password).
//  - MariaDB missing: the suite is skipped, with one line saying why (BLASTGUARD_MARIADB_SKIP carries it).
//  - BLASTGUARD_REQUIRE_MARIADB=1 (set by .ci/run): missing MariaDB fails the run instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mariadbAvailable, startMariadb } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FILES = ['catalog.test.ts', 'cli.test.ts', 'ground-truth.test.ts', 'check-against.test.ts']
  .map((f) => path.join(HERE, f))
  .concat(path.join(HERE, '..', 'hostile', 'mysql.test.ts'));

function selected(globalConfig) {
  const patterns = globalConfig.testPathPatterns;
  if (!patterns || typeof patterns.isSet !== 'function' || !patterns.isSet()) return true;
  const exec = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return FILES.some((f) => exec.isMatch(f));
}

export default async function globalSetup(globalConfig) {
  if (!selected(globalConfig)) return;
  const required = process.env.BLASTGUARD_REQUIRE_MARIADB === '1';
  const avail = mariadbAvailable();
  if (!avail.ok) {
    if (required) throw new Error(`BLASTGUARD_REQUIRE_MARIADB=1 but the MariaDB suite cannot run: ${avail.why}`);
    process.env.BLASTGUARD_MARIADB_SKIP = avail.why;
    process.stderr.write(`\nMariaDB suite skipped: ${avail.why}\n`);
    return;
  }
  const t0 = Date.now();
  let server;
  try {
    server = await startMariadb();
  } catch (err) {
    if (required) throw err;
    process.env.BLASTGUARD_MARIADB_SKIP = `MariaDB did not start: ${err.message}`;
    process.stderr.write(`\nMariaDB suite skipped: ${process.env.BLASTGUARD_MARIADB_SKIP}\n`);
    return;
  }
  process.env.BLASTGUARD_MARIADB = JSON.stringify({
    host: server.host,
    port: server.port,
    superuser: server.superuser,
    password: server.password,
    pid: server.pid,
    startMs: Date.now() - t0,
  });
  globalThis.__BLASTGUARD_MARIADB__ = server;
}
