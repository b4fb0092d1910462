// Push-down everywhere: `why` and approved plans (--out, --waves) computed against the graph in Neo4j give what they
// give on the graph in memory. `why` from the pushed-down neighbourhood = `why` on the whole graph (sample tenant
// and random graphs); the fingerprint streamed from Neo4j = fingerprint() of the graph read into memory (hostile IDs
// included, where Neo4j's order is not the canonical one); approved plans from --backend neo4j = approved plans from
// memory, byte for byte, and verify accepts them against bolt:// and against the file alike.
import { expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryBackend, neo4jBackend } from '../../src/app/backend.js';
import { snapshotStampInNeo4j, streamFingerprint } from '../../src/app/neo4j-fingerprint.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import type { Snapshot } from '../../src/model/types.js';
import { explain } from '../../src/report/why.js';
import { neo4jBookmarks, type Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { writeGraph } from '../../src/store/neo4j/write.js';
import { MANIFESTS, SAMPLE, run, workdir } from '../helpers/cli.js';
import { graphOf, randomSnapshot, rng } from '../helpers/graphs.js';
import { canonicalSnapshot, clearDatabase, cypher, describeNeo4j, useSharedDatabase } from './helpers.js';

const TEST_MS = 300_000;
const ALLOW = { intent: { allowBoundaryDeletion: true } };

describeNeo4j('push-down: why and approved plans', () => {
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
    'sample tenant: why, the fingerprint, and approved plans (plan and check, with waves) equal the in-memory ones; verify accepts them on bolt:// and on the file',
    async () => {
      expect(run(['ingest', '--to', 'neo4j', '--graph', SAMPLE, '--neo4j-uri', uri, '-q']).code).toBe(0);
      const snap = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Snapshot;
      const readBack = await readGraph(conn);
      // The fingerprint streamed from Neo4j is that of the graph read back, and of the file (it lists no relation twice).
      const stamp = await streamFingerprint(conn);
      expect(stamp).toEqual({ fingerprint: fingerprint(readBack), entities: 181, relations: 214 });
      expect(stamp!.fingerprint).toBe(fingerprint(graphOf(snap)));
      expect(await streamFingerprint(conn, 7)).toEqual(stamp); // pages split anywhere

      // why: every status (deleted, detached, spared, unaffected, unknown), from the neighbourhood = on the whole graph.
      const pushed = neo4jBackend({ uri });
      const memory = memoryBackend(readBack);
      const roots = [['site:acme-prod'], ['site:globex', 'site:initech'], ['product:acme-prod/jira-software']];
      const statuses = new Set<string>();
      for (const r of roots) {
        const { value: result } = await memory.plan(r, ALLOW);
        const ids = [...result.deleted.slice(0, 5).map((d) => d.id), ...result.detached.map((d) => d.id), ...result.spared.map((d) => d.id)];
        ids.push(snap.entities[0].id, snap.entities[100].id, 'no-such-entity');
        for (const id of ids) {
          const a = await pushed.explain(id, r, ALLOW);
          const b = await memory.explain(id, r, ALLOW);
          const answer = explain(a.result, id, a.known);
          expect({ id, r, answer }).toEqual({ id, r, answer: explain(b.result, id, b.known) });
          statuses.add(answer.status);
        }
      }
      expect([...statuses].sort()).toEqual(['deleted', 'detached', 'spared', 'unaffected', 'unknown']);
      // Through the CLI, every format: byte for byte.
      for (const format of ['human', 'json', 'markdown']) {
        const args = ['why', 'user:alex.kim@atlas-consulting.io', '--roots', 'site:acme-prod', 'site:globex', '-g', uri, '-f', format];
        const a = run([...args, '--backend', 'neo4j']);
        const b = run(args);
        expect({ format, code: a.code, stdout: a.stdout, stderr: a.stderr }).toEqual({ format, code: b.code, stdout: b.stdout, stderr: b.stderr });
      }

      // A routing URI (neo4j://) against the single server: the same plan.
      const routed = run(['plan', 'site:globex', '-g', uri.replace('bolt://', 'neo4j://'), '--backend', 'neo4j', '-f', 'json']);
      const direct = run(['plan', 'site:globex', '-g', uri, '--backend', 'neo4j', '-f', 'json']);
      expect([routed.code, routed.stderr, routed.stdout]).toEqual([direct.code, direct.stderr, direct.stdout]);

      // Approved plans: --backend neo4j writes the same file as memory does (on bolt:// and on the file).
      const dir = workdir({});
      const plans: Record<string, string[]> = {
        plan: ['plan', 'site:globex', 'site:initech', '--allow-boundary-deletion', '--waves', '1,rest'],
        check: ['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), '--waves', '1,rest'],
      };
      for (const [name, args] of Object.entries(plans)) {
        const outs = { neo4j: join(dir, `${name}.neo4j.json`), bolt: join(dir, `${name}.bolt.json`), file: join(dir, `${name}.file.json`) };
        const a = run([...args, '-g', uri, '--backend', 'neo4j', '--out', outs.neo4j]);
        const b = run([...args, '-g', uri, '--out', outs.bolt]);
        const c = run([...args, '-g', SAMPLE, '--out', outs.file]);
        expect([a.code, a.stderr.replace(outs.neo4j, 'OUT')]).toEqual([b.code, b.stderr.replace(outs.bolt, 'OUT')]);
        expect(a.stdout).toBe(b.stdout);
        expect(c.code).toBe(a.code);
        const text = readFileSync(outs.neo4j, 'utf8');
        expect(text).toBe(readFileSync(outs.bolt, 'utf8'));
        expect(text).toBe(readFileSync(outs.file, 'utf8'));
        const approved = JSON.parse(text) as { roots: string[]; waves?: unknown[]; snapshot: { fingerprint: string } };
        expect(approved.snapshot.fingerprint).toBe(stamp!.fingerprint);
        expect(approved.waves?.length).toBe(2);
        const ids = join(dir, `${name}.ids`);
        writeFileSync(ids, approved.roots.join('\n') + '\n');
        for (const graph of [uri, SAMPLE]) {
          const v = run(['verify', '--plan', outs.neo4j, '--ids', ids, '--graph', graph]);
          expect({ name, graph, code: v.code, stderr: v.stderr }).toEqual({ name, graph, code: a.code === 0 ? 0 : 1, stderr: '' });
        }
      }
      // A graph that changed after the plan: verify on bolt:// refuses it as stale.
      await cypher(conn, "MATCH (n:BlastguardEntity {id: 'site:globex'}) SET n.name = 'changed'");
      const stale = run(['verify', '--plan', join(dir, 'plan.neo4j.json'), '--ids', join(dir, 'plan.ids'), '--graph', uri]);
      expect(stale.code).toBe(1);
      expect(stale.stdout).toMatch(/snapshot|stale|fingerprint/i);
    },
    TEST_MS,
  );

  test(
    'random graphs: why from the neighbourhood = why on the whole graph; the streamed fingerprint = the canonical one',
    async () => {
      await clearDatabase(conn);
      const seeds = Array.from({ length: 16 }, (_, i) => 201 + i);
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
      // The load's bookmarks are kept for the reads that follow it in this process (causal consistency on a cluster).
      expect((await neo4jBookmarks({ uri })).length).toBeGreaterThan(0);
      const readBack = await readGraph(conn);
      // Random graphs list relations twice: Neo4j keeps one, and so does the canonical snapshot.
      const canonical = graphOf(canonicalSnapshot(all));
      expect(await streamFingerprint(conn, 50)).toEqual({ fingerprint: fingerprint(canonical), entities: canonical.size, relations: canonical.relationCount });
      expect(fingerprint(readBack)).toBe(fingerprint(canonical));

      const pushed = neo4jBackend({ uri });
      const memory = memoryBackend(canonical);
      let deleted = 0;
      for (const { seed, snap } of graphs) {
        const rand = rng(seed * 17);
        const roots = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => snap.entities[Math.floor(rand() * snap.entities.length)].id);
        const { value: result } = await memory.plan(roots, ALLOW);
        const pick = [result.deleted.at(-1)?.id, result.detached[0]?.id, result.spared[0]?.id, snap.entities[Math.floor(rand() * snap.entities.length)].id];
        for (const id of pick.filter((x): x is string => x !== undefined)) {
          const a = await pushed.explain(id, roots, ALLOW);
          const b = await memory.explain(id, roots, ALLOW);
          const answer = explain(a.result, id, a.known);
          expect({ seed, id, roots, answer }).toEqual({ seed, id, roots, answer: explain(b.result, id, b.known) });
          if (answer.status === 'deleted') deleted++;
        }
      }
      expect(deleted).toBeGreaterThan(10);
    },
    TEST_MS,
  );

  test(
    'hostile IDs (tabs, newlines, characters beyond U+FFFF and from U+E000): the stamp of the graph in Neo4j is the in-memory fingerprint',
    async () => {
      await clearDatabase(conn);
      const ids = ['a\tb', 'a\nb', 'x\u{1F600}', 'x\uE000', 'x\uFFFD', 'x', 'é', '"q"', 'site:1', 'site:2'];
      const snap: Snapshot = {
        schema: { boundary: 'site', relations: { OWNS: { onDelete: 'cascade' }, USES: { onDelete: 'detach' } } },
        entities: ids.map((id, i) => ({
          id,
          type: id.startsWith('site:') ? 'site' : 'thing',
          ...(i % 2 ? { name: `n${id}` } : {}),
          attributes: { z: i, a: [id] },
        })),
        relations: ids.slice(0, 8).flatMap((id, i) => [
          { from: id, type: 'OWNS', to: i % 2 ? 'site:1' : 'site:2' },
          { from: id, type: 'USES', to: ids[(i + 3) % 8] },
        ]),
      };
      await writeGraph(conn, graphOf(snap), {});
      const g = await readGraph(conn);
      const want = { fingerprint: fingerprint(g), entities: g.size, relations: g.relationCount };
      expect(want.fingerprint).toBe(fingerprint(graphOf(snap)));
      expect(await snapshotStampInNeo4j(conn)).toEqual(want);
      // Neo4j sorts 'x\uE000' before 'x\u{1F600}' (code points); the fingerprint the other way (UTF-16): the stream
      // notices and the stamp comes from the graph read into memory instead.
      expect(await streamFingerprint(conn)).toBeNull();
    },
    TEST_MS,
  );
});
