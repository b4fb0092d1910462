// Jest takes one global setup: this one runs each suite's (the Neo4j servers, the PostgreSQL and MariaDB servers),
// each of which does nothing when the run selects none of its test files.
import neo4jSetup from './neo4j/global-setup.mjs';
import postgresSetup from './postgres/global-setup.mjs';
import mariadbSetup from './mysql/global-setup.mjs';

export default async function globalSetup(globalConfig, projectConfig) {
  await neo4jSetup(globalConfig, projectConfig);
  await postgresSetup(globalConfig, projectConfig);
  await mariadbSetup(globalConfig, projectConfig);
}
