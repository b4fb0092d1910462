// Jest global setup for the MariaDB suite (test/mysql/, test/hostile/mysql.test.ts): starts one real MariaDB server
// (server.mjs) when the run selects any of those files, and hands it to the tests through BLASTGUARD_MARIADB
// (JSON: host, port, superuser, password).
//  - MariaDB missing: the suite is skipped, with one line saying why (BLASTGUARD_MARIADB_SKIP carries it).
//  - BLASTGUARD_REQUIRE_MARIADB=1 (set by .ci/run): missing MariaDB fails the run instead.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseSuiteSetup } from '../helpers/servers.mjs';
import { mariadbAvailable, startMariadb } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FILES = ['catalog.test.ts', 'cli.test.ts', 'ground-truth.test.ts', 'check-against.test.ts']
  .map((f) => path.join(HERE, f))
  .concat(path.join(HERE, '..', 'hostile', 'mysql.test.ts'));

export default databaseSuiteSetup({
  name: 'MariaDB',
  files: FILES,
  available: mariadbAvailable,
  start: startMariadb,
  env: 'BLASTGUARD_MARIADB',
  skipEnv: 'BLASTGUARD_MARIADB_SKIP',
  requireEnv: 'BLASTGUARD_REQUIRE_MARIADB',
  globalKey: '__BLASTGUARD_MARIADB__',
});
