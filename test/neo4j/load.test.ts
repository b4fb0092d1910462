// The fast load (CREATE into an empty database, several transactions in flight) and the MERGE path after it: both
// give exactly the snapshot in canonical order, duplicates listed in the snapshot included once; a fast load cut off
// half-way leaves a graph readers refuse, and the same load run again (now merging) converges with nothing doubled.
import { expect, test } from '@jest/globals';
import type { Snapshot } from '../../src/model/types.js';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { writeGraph } from '../../src/store/neo4j/write.js';
import { run } from '../helpers/cli.js';
import { graphOf, randomSnapshot } from '../helpers/graphs.js';
import { canonicalSnapshot, clearDatabase, cypher, describeNeo4j, snapshotFile, useSharedDatabase } from './helpers.js';

/** Generous: a fresh server compiles each query shape once, slowly on a loaded machine. */
const TEST_MS = 600_000;

/** A random graph with every relation of the first 200 entities listed twice, and hostile values. */
function graphWithDuplicates(seed: number): Snapshot {
  const snap = randomSnapshot(seed, 800, 1800);
  snap.relations.push(...snap.relations.filter((r) => Number(r.from.slice(1)) < 100));
  snap.entities[3] = { ...snap.entities[3], name: 'quote " comma , line\nbreak', attributes: { constructor: 'x', note: 'a,"b"' } };
  return snap;
}

describeNeo4j('fast load and merge', () => {
  let uri: string;
  let conn: Neo4jConnection;
  useSharedDatabase((u, c) => {
    uri = u;
    conn = c;
  });

  const counts = async () =>
    (
      await cypher(
        conn,
        `MATCH (n:BlastguardEntity) WITH count(n) AS nodes, count(DISTINCT n.id) AS ids,
           sum(CASE WHEN n.blastguardLoad IS NULL THEN 1 ELSE 0 END) AS unstamped
         OPTIONAL MATCH (:BlastguardEntity)-[r]->(:BlastguardEntity) RETURN nodes, ids, unstamped, count(r) AS rels`,
      )
    )[0];

  test(
    'into an empty database the load creates (small batches, three in flight); a second load merges; both give exactly the snapshot',
    async () => {
      await clearDatabase(conn);
      const snap = graphWithDuplicates(7);
      const expected = canonicalSnapshot(graphOf(snap).toSnapshot());
      const first = await writeGraph(conn, graphOf(snap), { batchSize: 300, inFlight: 3 });
      expect(first.path).toBe('create');
      expect(first.entities).toBe(800);
      expect(first.relations).toBe(expected.relations.length);
      expect(first.stale).toEqual({ entities: 0, relations: 0 });
      // Nothing there before, nothing to tell apart: the fast path leaves the load stamp off.
      expect(await counts()).toEqual({ nodes: 800, ids: 800, unstamped: 800, rels: expected.relations.length });
      const back = (await readGraph(conn)).toSnapshot();
      expect(JSON.stringify(back)).toBe(JSON.stringify(expected));
      // Each node carries its type's label, as the MERGE path gives it.
      const labels = await cypher(conn, 'MATCH (n:BlastguardEntity) WHERE NOT n.type IN labels(n) RETURN count(n) AS c');
      expect(labels[0].c).toBe(0);

      const second = await writeGraph(conn, graphOf(snap), { batchSize: 700 });
      expect(second.path).toBe('merge');
      expect(second.stale).toEqual({ entities: 0, relations: 0 });
      expect(await counts()).toEqual({ nodes: 800, ids: 800, unstamped: 0, rels: expected.relations.length });
      expect(JSON.stringify((await readGraph(conn)).toSnapshot())).toBe(JSON.stringify(expected));
    },
    TEST_MS,
  );

  test(
    'a fast load cut off after a few batches is refused by readers; the same load again merges and converges',
    async () => {
      await clearDatabase(conn);
      const snap = graphWithDuplicates(8);
      const expected = canonicalSnapshot(graphOf(snap).toSnapshot());
      let batches = 0;
      const cut = writeGraph(conn, graphOf(snap), {
        batchSize: 100,
        inFlight: 2,
        onProgress: () => {
          if (++batches === 6) throw new Error('cut off');
        },
      });
      await expect(cut).rejects.toThrow('cut off');
      // The load returned only once its transactions in flight had finished: nothing changes after it.
      const settled = await counts();
      await new Promise((r) => setTimeout(r, 1000));
      expect(await counts()).toEqual(settled);
      const partial = await counts();
      expect(partial.nodes).toBeGreaterThan(0);
      expect(partial.nodes).toBeLessThan(800);
      await expect(readGraph(conn)).rejects.toThrow(/the graph in this database is incomplete/);

      const again = await writeGraph(conn, graphOf(snap), {});
      expect(again.path).toBe('merge');
      expect(await counts()).toEqual({ nodes: 800, ids: 800, unstamped: 0, rels: expected.relations.length });
      expect(JSON.stringify((await readGraph(conn)).toSnapshot())).toBe(JSON.stringify(expected));
    },
    TEST_MS,
  );

  test(
    'the CLI says which path a load took',
    async () => {
      await clearDatabase(conn);
      const file = snapshotFile(randomSnapshot(9, 200, 400));
      const created = run(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', uri]);
      expect(created.code).toBe(0);
      expect(created.stderr).toMatch(
        /\nwrote 200 entities and \d+ relations to Neo4j at .* \([\d,]+ entities\/s, \d+ transactions, created into an empty database\)\n$/,
      );
      const merged = run(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', uri]);
      expect(merged.code).toBe(0);
      expect(merged.stderr).toMatch(/\nwrote 200 entities and \d+ relations to Neo4j at .* \([\d,]+ entities\/s, \d+ transactions\)\n$/);
      expect(run(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', uri, '--batch-size', '0']).code).toBe(2);
    },
    TEST_MS,
  );
});
