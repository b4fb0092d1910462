// Jest global setup for the PostgreSQL suite (test/postgres/, test/hostile/postgres.test.ts): starts one real
// PostgreSQL server (server.mjs) when the run selects any of those files, and hands it to the tests through
// BLASTGUARD_PG (JSON: host, port, superuser, password).
//  - PostgreSQL missing: the suite is skipped, with one line saying why (BLASTGUARD_PG_SKIP carries it).
//  - BLASTGUARD_REQUIRE_POSTGRES=1 (set by .ci/run): missing PostgreSQL fails the run instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseSuiteSetup } from '../helpers/servers.mjs';
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
  'copy-rows.test.ts',
]
  .map((f) => path.join(HERE, f))
  .concat(path.join(HERE, '..', 'hostile', 'postgres.test.ts'));

export default databaseSuiteSetup({
  name: 'PostgreSQL',
  files: FILES,
  available: postgresAvailable,
  start: startPostgres,
  env: 'BLASTGUARD_PG',
  skipEnv: 'BLASTGUARD_PG_SKIP',
  requireEnv: 'BLASTGUARD_REQUIRE_POSTGRES',
  globalKey: '__BLASTGUARD_PG__',
});
