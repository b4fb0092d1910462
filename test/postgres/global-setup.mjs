// Jest global setup for the PostgreSQL suite (test/postgres/, test/hostile/postgres.test.ts): starts one real
// PostgreSQL server (server.mjs) when the run selects any of those files, and hands it to the tests through
// BLASTGUARD_PG (JSON: host, port, superuser, password).
//  - PostgreSQL missing: the suite is skipped, with one line saying why (BLASTGUARD_PG_SKIP carries it).
//  - BLASTGUARD_REQUIRE_POSTGRES=1 (set by .ci/run): missing PostgreSQL fails the run instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresAvailable, startPostgres } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FILES = [
  'catalog.test.ts',
  'overlay.test.ts',
  'cli.test.ts',
  'ground-truth.test.ts',
  'tenant.test.ts',
  'check-against.test.ts',
  'push-down.test.ts',
]
  .map((f) => path.join(HERE, f))
  .concat(path.join(HERE, '..', 'hostile', 'postgres.test.ts'));

function selected(globalConfig) {
  const patterns = globalConfig.testPathPatterns;
  if (!patterns || typeof patterns.isSet !== 'function' || !patterns.isSet()) return true;
  const exec = patterns.toExecutor({ rootDir: globalConfig.rootDir });
  return FILES.some((f) => exec.isMatch(f));
}

export default async function globalSetup(globalConfig) {
  if (!selected(globalConfig)) return;
  const required = process.env.BLASTGUARD_REQUIRE_POSTGRES === '1';
  const avail = postgresAvailable();
  if (!avail.ok) {
    if (required) throw new Error(`BLASTGUARD_REQUIRE_POSTGRES=1 but the PostgreSQL suite cannot run: ${avail.why}`);
    process.env.BLASTGUARD_PG_SKIP = avail.why;
    process.stderr.write(`\nPostgreSQL suite skipped: ${avail.why}\n`);
    return;
  }
  const t0 = Date.now();
  let server;
  try {
    server = await startPostgres();
  } catch (err) {
    if (required) throw err;
    process.env.BLASTGUARD_PG_SKIP = `PostgreSQL did not start: ${err.message}`;
    process.stderr.write(`\nPostgreSQL suite skipped: ${process.env.BLASTGUARD_PG_SKIP}\n`);
    return;
  }
  process.env.BLASTGUARD_PG = JSON.stringify({
    host: server.host,
    port: server.port,
    superuser: server.superuser,
    password: server.password,
    pid: server.pid,
    startMs: Date.now() - t0,
  });
  globalThis.__BLASTGUARD_PG__ = server;
}
