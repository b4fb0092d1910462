// The Neo4j servers the suite uses, started by global-setup.mjs in the background (in parallel with the other
// suites), each only when a test file that needs it is selected:
//   shared  one server for every test file but fault.test.ts (authentication off; files take turns, see helpers.ts)
//   fault   a server with authentication on, which fault.test.ts kills and restarts on the same data
export const SERVERS = {
  shared: { files: ['differential.test.ts', 'safety.test.ts', 'pushdown.test.ts', 'load.test.ts', 'load-fast.test.ts', 'bookmarks.test.ts'], options: {} },
  fault: { files: ['fault.test.ts'], options: { password: 'fault-test-Pw-7' } },
};
