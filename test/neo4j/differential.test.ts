// In memory vs Neo4j, on the sample tenant and on randomized graphs (cycles, shared owners, every onDelete value):
// the plan computed inside Neo4j (push-down), the plan on the graph read back from Neo4j, and the plan on the
// snapshot file give the same deleted, detached and spared sets and the same violations. Against the snapshot put
// in the order a Neo4j graph is read in (canonicalSnapshot), the JSON is identical, messages, chains and order
// included.
import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../../src/api.js';
import { plan, type PlanOptions } from '../../src/engine/plan.js';
import type { PlanResult } from '../../src/engine/result.js';
import { loadManifestFile } from '../../src/ingest/manifest.js';
import type { Snapshot } from '../../src/model/types.js';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { planInNeo4j, planInNeo4jWithStats } from '../../src/app/neo4j-push-down.js';
import { explain } from '../../src/report/why.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { writeGraph } from '../../src/store/neo4j/write.js';
import { MANIFESTS, SAMPLE, run } from '../helpers/cli.js';
import { graphOf, outcome, randomSnapshot, rng } from '../helpers/graphs.js';
import { canonicalSnapshot, clearDatabase, cypher, describeNeo4j, useSharedDatabase } from './helpers.js';

/** A fresh server compiles each query shape once: the first tests of a run are slow on a loaded machine. */
const TEST_MS = 180_000;

/** Deleted, detached and spared sets, and the violations as rule|entity|message, all sorted. */
function essence(r: PlanResult) {
  return {
    ...outcome(r),
    violations: r.violations.map((v) => `${v.rule}|${v.entity}`).sort(),
  };
}

describeNeo4j('in memory = Neo4j', () => {
  let uri: string;
  let conn: Neo4jConnection;
  useSharedDatabase(
    (u, c) => {
      uri = u;
      conn = c;
    },
    { clear: true },
  );

  test(
    'the sample tenant, loaded by the CLI: every site, both manifests, each entity type, unknown targets',
    async () => {
      const load = run(['ingest', '--to', 'neo4j', '--graph', SAMPLE, '--neo4j-uri', uri]);
      expect(load.stderr).toMatch(/^wrote 181 entities and 214 relations to Neo4j at bolt:\/\/127.0.0.1:\d+ in /m);
      expect(load.code).toBe(0);
      const snap = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Snapshot;
      const fileGraph = graphOf(snap);
      const canonical = graphOf(canonicalSnapshot(snap));
      // Through the library surface, as a maintenance script would.
      const readBack = await api.loadGraphFromNeo4j({ uri });
      expect(readBack.size).toBe(181);
      expect(await api.planInNeo4j({ uri }, ['site:globex'], {})).toEqual(api.plan(readBack, ['site:globex']));
      expect(readBack.relationCount).toBe(214);

      const cases: { roots: string[]; options: PlanOptions }[] = [];
      for (const e of snap.entities.filter((x) => x.type === 'site')) cases.push({ roots: [e.id], options: {} });
      for (const m of ['legacy-app-cleanup.yaml', 'incident-replay.yaml']) {
        const { manifest } = loadManifestFile(join(MANIFESTS, m));
        cases.push({ roots: manifest.targets!, options: { intent: manifest.intent, limits: manifest.limits } });
      }
      const byType = new Map<string, string>();
      for (const e of snap.entities) if (!byType.has(e.type)) byType.set(e.type, e.id);
      for (const id of byType.values()) cases.push({ roots: [id], options: { intent: { allowBoundaryDeletion: true } } });
      const named = snap.entities.find((e) => e.name)!;
      cases.push({ roots: ['no-such-entity', named.name!, snap.entities[3].id, snap.entities[3].id], options: {} });

      for (const { roots, options } of cases) {
        const pushed = await planInNeo4j(conn, roots, options);
        const label = { roots, options };
        expect({ ...label, ...essence(pushed) }).toEqual({ ...label, ...essence(plan(fileGraph, roots, options)) });
        expect({ ...label, json: pushed }).toEqual({ ...label, json: plan(readBack, roots, options) });
        expect({ ...label, json: pushed }).toEqual({ ...label, json: plan(canonical, roots, options) });
      }
      // The plans ran in transactions that were rolled back: no mark is left on any node.
      expect(await cypher(conn, 'MATCH (n) WHERE n.__blastguardPlan IS NOT NULL OR n.__blastguardDepth IS NOT NULL RETURN count(n) AS c')).toEqual([{ c: 0 }]);
    },
    TEST_MS,
  );

  test(
    'randomized graphs: 40 of them in one database, 3 deletions each, with and without intent and limits',
    async () => {
      await clearDatabase(conn);
      // The random graphs share their schema (relation types R00…R51, entity types a, b, c, site), so they load as one
      // graph with each graph's IDs prefixed; deletions in one never reach another.
      const seeds = Array.from({ length: 40 }, (_, i) => 101 + i);
      const graphs = seeds.map((seed) => {
        const s = randomSnapshot(seed, 20 + (seed % 40), 30 + ((seed * 7) % 120));
        const p = (id: string) => `g${seed}:${id}`;
        return {
          seed,
          snap: {
            schema: s.schema,
            entities: s.entities.map((e) => ({ ...e, id: p(e.id) })),
            relations: s.relations.map((r) => ({ ...r, from: p(r.from), to: p(r.to) })),
          } as Snapshot,
        };
      });
      const all: Snapshot = {
        schema: graphs[0].snap.schema,
        entities: graphs.flatMap((g) => g.snap.entities),
        relations: graphs.flatMap((g) => g.snap.relations),
      };
      await writeGraph(conn, graphOf(all), { batchSize: 500 });
      const readBack = await readGraph(conn);
      expect(readBack.size).toBe(all.entities.length);

      const optionSets: PlanOptions[] = [
        {},
        { intent: { rootTypes: ['a'], deleteTypes: ['a', 'b'] }, limits: { maxDeleted: 6, maxSites: 1 } },
        { intent: { allowBoundaryDeletion: true } },
      ];
      let nonTrivial = 0;
      for (const { seed, snap } of graphs) {
        const fileGraph = graphOf(snap);
        const canonical = graphOf(canonicalSnapshot(snap));
        const rand = rng(seed * 31);
        for (let q = 0; q < 3; q++) {
          const k = 1 + Math.floor(rand() * 3);
          const roots = Array.from({ length: k }, () => snap.entities[Math.floor(rand() * snap.entities.length)].id);
          const options = optionSets[q];
          // One graph in three with tiny query chunks: each level then takes several queries.
          const pushed = await planInNeo4j(conn, roots, { ...options, chunkSize: seed % 3 === 0 ? 2 : undefined });
          const label = { seed, roots, q };
          expect({ ...label, ...essence(pushed) }).toEqual({ ...label, ...essence(plan(fileGraph, roots, options)) });
          expect({ ...label, json: pushed }).toEqual({ ...label, json: plan(canonical, roots, options) });
          expect({ ...label, json: pushed }).toEqual({ ...label, json: plan(readBack, roots, options) });
          if (pushed.deleted.length > k && (pushed.spared.length || pushed.detached.length)) nonTrivial++;
        }
      }
      // The comparison is only worth something if the deletions cascade and meet last-owner and detach relations.
      expect(nonTrivial).toBeGreaterThan(20);
    },
    TEST_MS,
  );

  test(
    'levels returned in several records, shared boundary targets, a protected entity, restrict and protect mid-chain, chains that end early',
    async () => {
      await clearDatabase(conn);
      // 40 children of s0 that are also members of 40 other sites (the sites come once each, 16 to a record), users
      // kept or not by a second site, tokens under them, grandchildren linked to the users, a chain 3 deep under one
      // grandchild and nothing pointing at its end (the level after it is not asked for), a protected entity, a
      // restrict and a protect relation into the closure.
      const n = 40;
      const entities: Snapshot['entities'] = [];
      const relations: Snapshot['relations'] = [];
      for (let i = 0; i <= n; i++) entities.push({ id: `s${i}`, type: 'site', name: `site ${i}`, attributes: { i } });
      for (let i = 1; i <= n; i++) {
        entities.push(
          { id: `c${i}`, type: 'child' },
          { id: `g${i}`, type: 'grandchild', name: `g ${i}` },
          { id: `u${i}`, type: 'user' },
          { id: `t${i}`, type: 'token' },
        );
        relations.push(
          { from: `c${i}`, type: 'IN', to: 's0' },
          { from: `c${i}`, type: 'MEMBER', to: `s${i}` },
          { from: `g${i}`, type: 'IN', to: `c${i}` },
          { from: `g${i}`, type: 'LINK', to: `u${i}` },
          { from: `u${i}`, type: 'MEMBER', to: 's0' },
          { from: `t${i}`, type: 'IN', to: `u${i}` },
        );
        if (i % 2) relations.push({ from: `u${i}`, type: 'MEMBER', to: `s${i}` });
      }
      entities.push({ id: 'p', type: 'doc', protected: true }, { id: 'r', type: 'doc' }, { id: 'q', type: 'policy' });
      entities.push({ id: 'd1', type: 'doc' }, { id: 'd2', type: 'doc' }, { id: 'd3', type: 'doc' });
      relations.push(
        { from: 'p', type: 'IN', to: 'c1' },
        { from: 'r', type: 'NEEDS', to: 'g2' },
        { from: 'q', type: 'GUARDS', to: 'c3' },
        { from: 'd1', type: 'IN', to: 'g5' },
        { from: 'd2', type: 'IN', to: 'd1' },
        { from: 'd3', type: 'IN', to: 'd2' },
      );
      const snap: Snapshot = {
        schema: {
          boundary: 'site',
          relations: {
            IN: { onDelete: 'cascade' },
            MEMBER: { onDelete: 'last-owner' },
            LINK: { onDelete: 'detach' },
            NEEDS: { onDelete: 'restrict' },
            GUARDS: { onDelete: 'protect' },
          },
        },
        entities,
        relations,
      };
      await writeGraph(conn, graphOf(snap), {});
      const canonical = graphOf(canonicalSnapshot(snap));
      const allow: PlanOptions = { intent: { allowBoundaryDeletion: true } };
      const cases: { roots: string[]; options: PlanOptions }[] = [
        { roots: ['s0'], options: allow },
        { roots: ['s0'], options: {} },
        { roots: ['s0', 's7'], options: allow },
        { roots: ['c5'], options: {} },
        { roots: ['u2', 'u3'], options: {} },
        { roots: ['g5'], options: {} },
        { roots: ['d3'], options: {} },
      ];
      let queriesSeen = 0;
      for (const { roots, options } of cases) {
        const want = plan(canonical, roots, options);
        for (const chunkSize of [undefined, 3]) {
          const label = { roots, options, chunkSize };
          const probe = [...want.deleted.slice(-2).map((d) => d.id), 'u1', 'u2', 's9', 'no-such-entity'];
          const { result, present, stats } = await planInNeo4jWithStats(conn, roots, { ...options, chunkSize, probe });
          expect({ ...label, json: result }).toEqual({ ...label, json: want });
          for (const id of probe) {
            expect({ ...label, id, why: explain(result, id, present.has(id)) }).toEqual({ ...label, id, why: explain(want, id, canonical.indexOf(id) >= 0) });
          }
          queriesSeen = Math.max(queriesSeen, stats.queries);
        }
      }
      // The deletion of s0 is as deep as the d chain (5 levels) and was worth comparing: violations, spared users.
      const s0 = plan(canonical, ['s0'], allow);
      expect(Math.max(...s0.deleted.map((d) => d.depth))).toBe(5);
      expect(s0.spared.length).toBe(n / 2);
      expect(s0.violations.map((v) => v.rule).sort()).toEqual(expect.arrayContaining(['protected', 'restricted']));
      expect(queriesSeen).toBeGreaterThan(5);

      // A node without a type (a graph written by someone else) is refused wherever the push-down meets it: as a root
      // (the roots query returns a node the frontier does not take, so the first level asked for with it is not
      // used) and as a node a level reaches.
      await cypher(conn, "MATCH (c:BlastguardEntity {id: 'c1'}) CREATE (:BlastguardEntity {id: 'typeless'})-[:IN]->(c)");
      for (const roots of [['typeless'], ['typeless', 's0'], ['c1']]) {
        await expect(planInNeo4j(conn, roots, allow)).rejects.toThrow(/"typeless"\.type.*needs a non-empty string "type"/);
      }
    },
    TEST_MS,
  );
});
