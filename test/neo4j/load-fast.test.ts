// The fast load (CREATE into an empty database, relations created between nodes found by internal node ID) gives a
// database whose plans equal the plans on the file: on a generated tenant with hostile values and duplicated
// relations, on the sample tenant through the CLI, and when the database's node IDs do not start at 0 (other nodes
// created and deleted before, someone else's nodes kept), so an off-by-anything in the client's entity → node map
// would show as a different graph.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planInNeo4j } from '../../src/app/neo4j-push-down.js';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { writeGraph } from '../../src/store/neo4j/write.js';
import { run } from '../helpers/cli.js';
import { graphOf } from '../helpers/graphs.js';
import { canonicalSnapshot, clearDatabase, cypher, describeNeo4j, snapshotFile, useSharedDatabase } from './helpers.js';

/** Generous: a fresh server compiles each query shape once, slowly on a loaded machine. */
const TEST_MS = 600_000;

/** A generated tenant (the CLI's generator) with a few hostile values and every 50th relation listed twice. */
function generatedTenant(sites: number, seed: string): Snapshot {
  const file = join(snapshotFile({ schema: { boundary: 'site', relations: {} }, entities: [], relations: [] }), '..', 'tenant.json');
  const gen = run(['generate', '--sites', String(sites), '--seed', seed, '--out', file]);
  expect(gen.code).toBe(0);
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  snap.relations.push(...snap.relations.filter((_, i) => i % 50 === 0));
  snap.entities[5] = { ...snap.entities[5], name: 'quote " comma , line\nbreak', attributes: { constructor: 'x', note: "x'}) DETACH DELETE n //" } };
  snap.entities[6] = { ...snap.entities[6], protected: true };
  return snap;
}

/** Plans of `roots` on the file (canonical order) equal plans on the graph read back and plans pushed down. */
async function expectSamePlans(conn: Neo4jConnection, canonical: Snapshot, roots: string[]): Promise<void> {
  const fileGraph = graphOf(canonical);
  const readBack = await readGraph(conn);
  expect(JSON.stringify(readBack.toSnapshot())).toBe(JSON.stringify(canonical));
  for (const root of roots) {
    const expected = JSON.stringify(plan(fileGraph, [root]));
    expect(JSON.stringify(plan(readBack, [root]))).toBe(expected);
    expect(JSON.stringify(await planInNeo4j(conn, [root]))).toBe(expected);
  }
}

const rootsOf = (snap: Snapshot, boundary: string, every: number): string[] => [
  ...snap.entities.filter((e) => e.type === boundary).map((e) => e.id),
  ...snap.entities.filter((_, i) => i % every === 0).map((e) => e.id),
];

describeNeo4j('fast load: plans on the loaded database equal plans on the file', () => {
  let uri: string;
  let conn: Neo4jConnection;
  useSharedDatabase((u, c) => {
    uri = u;
    conn = c;
  });

  test(
    'a generated tenant, in many small batches of every type, three in flight, with node IDs that do not start at 0',
    async () => {
      await clearDatabase(conn);
      // Node IDs used and freed before, and someone else's nodes that stay: the entity → node map must not assume
      // IDs 0…n-1 in load order.
      await cypher(conn, 'UNWIND range(1, 300) AS i CREATE (:Scratch {i: i})');
      await cypher(conn, 'MATCH (n:Scratch) WHERE n.i % 3 <> 0 DELETE n');
      const snap = generatedTenant(3, '11');
      const canonical = canonicalSnapshot(graphOf(snap).toSnapshot());
      const w = await writeGraph(conn, graphOf(snap), { batchSize: 97, inFlight: 3 });
      expect(w.path).toBe('create');
      expect(w.entities).toBe(canonical.entities.length);
      expect(w.relations).toBe(canonical.relations.length);
      expect(w.batches).toBeGreaterThan(canonical.entities.length / 97);
      // One relationship per relation, nothing else created or touched.
      const counts = await cypher(
        conn,
        'MATCH (n:BlastguardEntity) WITH count(n) AS nodes OPTIONAL MATCH (:BlastguardEntity)-[r]->(:BlastguardEntity) ' +
          'WITH nodes, count(r) AS rels MATCH (s:Scratch) RETURN nodes, rels, count(s) AS scratch',
      );
      expect(counts).toEqual([{ nodes: canonical.entities.length, rels: canonical.relations.length, scratch: 100 }]);
      await expectSamePlans(conn, canonical, rootsOf(canonical, 'site', 211));
      await cypher(conn, 'MATCH (n:Scratch) DELETE n');
    },
    TEST_MS,
  );

  test(
    'the sample tenant loaded by the CLI: plans through the CLI on bolt:// equal plans on the file, byte for byte',
    async () => {
      await clearDatabase(conn);
      const sample = JSON.parse(readFileSync(join(process.cwd(), 'samples', 'tenant.json'), 'utf8')) as Snapshot;
      const canonical = canonicalSnapshot(graphOf(sample).toSnapshot());
      const file = snapshotFile(canonical);
      const load = run(['ingest', '--to', 'neo4j', '-g', join('samples', 'tenant.json'), '--neo4j-uri', uri, '--batch-size', '20']);
      expect(load.code).toBe(0);
      expect(load.stderr).toMatch(/created into an empty database\)\n$/);
      await expectSamePlans(conn, canonical, rootsOf(canonical, sample.schema.boundary, 7));
      const site = canonical.entities.find((e) => e.type === sample.schema.boundary)!.id;
      for (const backend of ['memory', 'neo4j']) {
        const onDb = run(['plan', site, '-g', uri, '--backend', backend, '-f', 'json']);
        const onFile = run(['plan', site, '-g', file, '-f', 'json']);
        expect(onDb.code).toBe(onFile.code);
        expect(onDb.stdout).toBe(onFile.stdout);
      }
    },
    TEST_MS,
  );
});
