// Faults, on a server of its own (with authentication on): wrong credentials are one line; a load cut off by the
// server dying (SIGKILL mid-ingest) leaves a graph that readers refuse as incomplete, and running the same load
// again after a restart on the same data converges to exactly the snapshot, with nothing duplicated.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { BIN, hasStack, ROOT, run } from '../helpers/cli.js';
import { graphOf, randomSnapshot } from '../helpers/graphs.js';
import { startNeo4j } from '../neo4j-server/server.mjs';
import { canonicalSnapshot, connect, cypher, describeNeo4j, SERVER_WAIT_MS, serverInfo, snapshotFile, type ServerInfo } from './helpers.js';
import { SERVERS, START_TIMEOUT_MS } from './servers.mjs';

const PASSWORD = SERVERS.fault.options.password!;
const env = { NEO4J_PASSWORD: PASSWORD };

interface Server {
  uri: string;
  stop(): Promise<void>;
}

/** SIGKILL (a crash: no shutdown, no checkpoint) and wait until the process is gone. */
async function crash(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

function runAsync(args: string[]): { done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(BIN, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr }))) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeNeo4j('Neo4j faults (own server, authentication on)', () => {
  const servers: Server[] = [];
  let first: ServerInfo;
  beforeAll(async () => {
    first = await serverInfo('fault');
  }, SERVER_WAIT_MS);
  afterAll(async () => {
    for (const s of servers) await s.stop();
  }, 60_000);

  test('wrong or missing credentials: one line naming the user, exit 2, the password never printed', () => {
    const cases: [Record<string, string>, string[], string][] = [
      [{ NEO4J_PASSWORD: 'wrong-Secret-1' }, [], 'Neo4j refused user "neo4j" with the password in NEO4J_PASSWORD'],
      [{ NEO4J_PASSWORD: '' }, [], 'Neo4j refused user "neo4j" with no password (NEO4J_PASSWORD is not set)'],
      [env, ['--neo4j-user', 'mallory'], 'Neo4j refused user "mallory" with the password in NEO4J_PASSWORD'],
    ];
    for (const [e, extra, message] of cases) {
      for (const backend of ['memory', 'neo4j']) {
        const r = run(['plan', 'x', '-g', first.uri, '--backend', backend, ...extra], { env: e });
        expect(r.code).toBe(2);
        expect(hasStack(r.stderr)).toBe(false);
        expect(r.stderr).toBe(`blastguard: ${first.uri}: ${message}\n`);
        expect(r.stderr).not.toContain('wrong-Secret-1');
        expect(r.stderr).not.toContain(PASSWORD);
      }
    }
  }, 120_000);

  test('killed mid-ingest, restarted on the same data, loaded again: exactly the snapshot, nothing duplicated', async () => {
    const snap = randomSnapshot(4242, 3000, 6000);
    const file = snapshotFile(snap);
    const expected = canonicalSnapshot(graphOf(snap).toSnapshot());

    // Small batches, so the load is still running when the server dies.
    const load = runAsync(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', first.uri, '--batch-size', '25']);
    const watcher: Neo4jConnection = await connect(first.uri, PASSWORD);
    let seen = 0;
    for (let i = 0; i < 1200 && seen < 500; i++) {
      seen = (await cypher(watcher, 'MATCH (n:BlastguardEntity) RETURN count(n) AS c'))[0].c as number;
      if (seen < 500) await sleep(50);
    }
    await crash(first.pid);
    await watcher.close().catch(() => {});
    expect(seen).toBeGreaterThanOrEqual(500);
    const cut = await load.done;
    expect(cut.code).toBe(2);
    expect(hasStack(cut.stderr)).toBe(false);
    expect(cut.stderr).toMatch(new RegExp(`^blastguard: ${first.uri}: lost the connection to Neo4j while loading the graph: .+\\n$`));

    const second = await startNeo4j({ ...SERVERS.fault.options, timeoutMs: START_TIMEOUT_MS, home: first.home, port: first.port });
    servers.push(second);
    const conn = await connect(second.uri, PASSWORD);
    try {
      const partial = (await cypher(conn, 'MATCH (n:BlastguardEntity) RETURN count(n) AS c'))[0].c as number;
      expect(partial).toBeGreaterThanOrEqual(500);
      expect(partial).toBeLessThan(3000 + 1);
      // Readers refuse the half-loaded graph rather than plan on part of it.
      const refused = run(['plan', 'e1', '-g', second.uri, '--backend', 'neo4j'], { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('the graph in this database is incomplete');

      const again = run(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', second.uri], { env });
      expect(again.stderr).toMatch(/^wrote 3,000 entities and \d[\d,]* relations to Neo4j at /m);
      expect(again.code).toBe(0);

      const counts = await cypher(
        conn,
        `MATCH (n:BlastguardEntity) WITH count(n) AS nodes, count(DISTINCT n.id) AS ids
         MATCH (:BlastguardEntity)-[r]->(:BlastguardEntity) WITH nodes, ids, count(r) AS rels
         MATCH (s:BlastguardSchema) RETURN nodes, ids, rels, count(s) AS schemas, collect(s.loading) AS loading`,
      );
      expect(counts).toEqual([{ nodes: 3000, ids: 3000, rels: expected.relations.length, schemas: 1, loading: [] }]);
      const back = (await readGraph(conn)).toSnapshot();
      expect(back.entities).toEqual(expected.entities);
      expect(back.relations).toEqual(expected.relations);
      expect(run(['plan', 'e1', '-g', second.uri, '--backend', 'neo4j', '-f', 'json'], { env }).code).toBeLessThan(2);
    } finally {
      await conn.close();
    }
  }, 300_000);
});
