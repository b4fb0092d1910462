// Reading a graph out of Neo4j (readGraph): exactly the graph that was loaded, in canonical order, whatever the page
// size and wherever a page or a slice of one ends (IDs Neo4j orders otherwise than the canonical order included);
// foreign data is left out; what cannot be judged (a node without a string id or type, a half-finished load) refused.
import { expect, test } from '@jest/globals';
import { fingerprint } from '../../src/engine/fingerprint.js';
import type { Snapshot } from '../../src/model/types.js';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { CONSTRAINTS, writeGraph } from '../../src/store/neo4j/write.js';
import { graphOf, randomSnapshot } from '../helpers/graphs.js';
import { canonicalSnapshot, clearDatabase, cypher, describeNeo4j, useSharedDatabase } from './helpers.js';

const TEST_MS = 300_000;

/** Entities and relations of a snapshot as one string, for exact comparison. */
const text = (snap: Snapshot) => JSON.stringify({ e: snap.entities, r: snap.relations });

/**
 * A random graph plus hostile entities: IDs Neo4j orders by code point where the canonical order is by UTF-16 code
 * unit ('x\u{1F600}' < 'x\uE000' in Neo4j, the other way round in JavaScript), names, attributes, protection, and
 * relations listed twice.
 */
function hostileGraph(): Snapshot {
  const snap = randomSnapshot(11, 260, 600);
  const ids = ['x\u{1F600}', 'x\uE000', 'x\uFFFD', 'x', 'é', 'a\tb', '"q"', 'x\u{1F600}y', 'x\uE000y'];
  ids.forEach((id, i) =>
    snap.entities.push({ id, type: 'thing', ...(i % 2 ? { name: `n${id}` } : {}), ...(i % 3 ? {} : { protected: true }), attributes: { z: i, a: [id] } }),
  );
  const type = Object.keys(snap.schema.relations)[0];
  ids.forEach((id, i) => snap.relations.push({ from: id, type, to: ids[(i + 4) % ids.length] }, { from: id, type, to: snap.entities[i].id }));
  snap.relations.push(...snap.relations.slice(0, 40));
  return snap;
}

describeNeo4j('reading the graph out of Neo4j', () => {
  let conn: Neo4jConnection;
  useSharedDatabase(
    (_, c) => {
      conn = c;
    },
    { clear: true },
  );

  test(
    'every page size: exactly the loaded graph in canonical order, also where Neo4j orders IDs otherwise',
    async () => {
      const snap = hostileGraph();
      const want = graphOf(snap);
      await writeGraph(conn, want, {});
      const expected = canonicalSnapshot(want.toSnapshot());
      // 1: every node its own page (the out-of-order pair then spans two pages); 100, 101, 250: page ends at, just
      // after and between the 100-node slices a page is sent in; the default: the whole graph in one page.
      for (const pageSize of [1, 7, 100, 101, 250, undefined]) {
        const g = await readGraph(conn, { pageSize });
        expect({ pageSize, snap: text(g.toSnapshot()) }).toEqual({ pageSize, snap: text(expected) });
        expect(fingerprint(g)).toBe(fingerprint(graphOf(expected)));
      }
    },
    TEST_MS,
  );

  test(
    'foreign nodes and relationships are left out; a node without a string id or type, a bad name or attributes, a half-finished load: refused',
    async () => {
      await clearDatabase(conn);
      const snap: Snapshot = {
        schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' } } },
        entities: [
          { id: 'site:1', type: 'site' },
          { id: 'doc:1', type: 'doc', name: 'one' },
        ],
        relations: [{ from: 'doc:1', type: 'IN', to: 'site:1' }],
      };
      await writeGraph(conn, graphOf(snap), {});
      // Someone else's data in the same database: a node without the entity label, a relationship type the schema
      // does not declare, a relationship to a foreign node.
      await cypher(
        conn,
        "MATCH (d:BlastguardEntity {id: 'doc:1'}), (s:BlastguardEntity {id: 'site:1'}) CREATE (d)-[:OTHER]->(s), (d)-[:IN]->(:Foreign {id: 'f'})",
      );
      expect(text((await readGraph(conn, { pageSize: 1 })).toSnapshot())).toBe(text(canonicalSnapshot(snap)));

      const refused = async (create: string, message: string) => {
        await cypher(conn, create);
        await expect(readGraph(conn)).rejects.toThrow(message);
        await cypher(conn, "MATCH (n:BlastguardEntity) WHERE n.id IS NULL OR NOT n.id IN ['site:1', 'doc:1'] DETACH DELETE n");
      };
      await refused("CREATE (:BlastguardEntity {id: 7, type: 'doc'})", '1 :BlastguardEntity node(s) have no string "id"');
      await refused("CREATE (:BlastguardEntity {type: 'doc'})", '1 :BlastguardEntity node(s) have no string "id"');
      await refused("CREATE (:BlastguardEntity {id: 'doc:2'})", 'node "doc:2".type: needs a non-empty string "type" (found null)');
      await refused("CREATE (:BlastguardEntity {id: 'doc:2', type: 'doc', name: 5})", 'node "doc:2".name: must be a string');
      await refused("CREATE (:BlastguardEntity {id: 'doc:2', type: 'doc', attributes: '{'})", 'node "doc:2".attributes: is not JSON');
      expect(text((await readGraph(conn)).toSnapshot())).toBe(text(canonicalSnapshot(snap)));

      await cypher(conn, "MATCH (s:BlastguardSchema) SET s.loading = 'cut-off', s.loadingSince = datetime()");
      await expect(readGraph(conn)).rejects.toThrow('the graph in this database is incomplete');
      await cypher(conn, 'MATCH (s:BlastguardSchema) REMOVE s.loading, s.loadingSince');
    },
    TEST_MS,
  );

  test(
    'an ID on two nodes (a database without the uniqueness constraint): one entity with the relations of both, or refused',
    async () => {
      await clearDatabase(conn);
      const snap: Snapshot = {
        schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' }, USES: { onDelete: 'detach' } } },
        entities: [
          { id: 'site:1', type: 'site' },
          { id: 'doc:1', type: 'doc', name: 'one' },
          { id: 'doc:2', type: 'doc' },
        ],
        relations: [
          { from: 'doc:1', type: 'IN', to: 'site:1' },
          { from: 'doc:2', type: 'IN', to: 'site:1' },
        ],
      };
      await writeGraph(conn, graphOf(snap), {});
      await cypher(conn, 'DROP CONSTRAINT blastguard_entity_id');
      try {
        await cypher(
          conn,
          "MATCH (s:BlastguardEntity {id: 'site:1'}), (d2:BlastguardEntity {id: 'doc:2'}) " +
            "CREATE (s)<-[:USES]-(:BlastguardEntity {id: 'doc:1', type: 'doc', name: 'one'})-[:USES]->(d2)",
        );
        const want = canonicalSnapshot({
          ...snap,
          relations: [...snap.relations, { from: 'doc:1', type: 'USES', to: 'site:1' }, { from: 'doc:1', type: 'USES', to: 'doc:2' }],
        });
        for (const pageSize of [2, 3, undefined]) expect(text((await readGraph(conn, { pageSize })).toSnapshot())).toBe(text(want));
        // A page that ends between the two hides the second from the keyset: counted, refused, never left out.
        await expect(readGraph(conn, { pageSize: 1 })).rejects.toThrow('1 :BlastguardEntity node(s) have no string "id" (or one another node has too)');
      } finally {
        await clearDatabase(conn);
        await cypher(conn, CONSTRAINTS[0]);
      }
    },
    TEST_MS,
  );
});
