// The Neo4j servers the suite uses, started by global-setup.mjs in the background (in parallel with the other
// suites), each only when a test file that needs it is selected:
//   shared  one server for every test file but fault.test.ts (authentication off; files take turns, see helpers.ts)
//   fault   a server with authentication on, which fault.test.ts kills and restarts on the same data
/** How long a server may take to start: as long as the tests wait for it (helpers.ts SERVER_WAIT_MS). */
export const START_TIMEOUT_MS = 300_000;

// Both start with `quick` JVM flags (C1 only: less CPU to boot and warm up on a 2-core machine).
export const SERVERS = {
  shared: { files: ['differential.test.ts', 'safety.test.ts', 'pushdown.test.ts', 'load.test.ts'], options: { quick: true } },
  fault: { files: ['fault.test.ts'], options: { password: 'fault-test-Pw-7', quick: true } },
};
