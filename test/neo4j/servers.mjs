// The Neo4j servers the suite uses, started by global-setup.mjs in the background (in parallel with the other
// suites), each only when a test file that needs it is selected:
//   shared  a pool of up to SHARED_POOL servers for every test file but fault.test.ts and import.test.ts
//           (authentication off): a file takes whichever is free (helpers.ts useSharedDatabase), so two files run
//           side by side, one per jest worker, instead of one waiting for the other
//   fault   a server with authentication on, which fault.test.ts kills and restarts on the same data
/** How long a server may take to start: as long as the tests wait for it (helpers.ts SERVER_WAIT_MS). */
export const START_TIMEOUT_MS = 300_000;

/** One shared server per jest worker (jest.config.js maxWorkers); fewer when fewer of their files are selected. */
export const SHARED_POOL = 2;

// All start with `quick` JVM flags (C1 only and the class archive: less CPU to boot and warm up on 2 cores).
export const SERVERS = {
  shared: {
    files: ['differential.test.ts', 'safety.test.ts', 'pushdown.test.ts', 'load.test.ts', 'load-fast.test.ts', 'bookmarks.test.ts', 'read.test.ts'],
    options: { quick: true },
  },
  fault: { files: ['fault.test.ts'], options: { password: 'fault-test-Pw-7', quick: true } },
};
