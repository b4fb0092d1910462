// Stops what test/global-setup.mjs started.
import neo4jTeardown from './neo4j/global-teardown.mjs';
import postgresTeardown from './postgres/global-teardown.mjs';
import mariadbTeardown from './mysql/global-teardown.mjs';

export default async function globalTeardown(globalConfig, projectConfig) {
  await Promise.all([neo4jTeardown(globalConfig, projectConfig), postgresTeardown(globalConfig, projectConfig), mariadbTeardown(globalConfig, projectConfig)]);
}
