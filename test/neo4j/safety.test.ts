// Safety of the Neo4j backend: names that would be Cypher injection are refused before anything is written; values
// (IDs, names, attributes) always travel as parameters and come back unchanged; a graph someone else wrote with
// hostile relationship types is read and planned on as data; loads are idempotent; bad database states are one line.
import { beforeEach, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/model/types.js';
import type { PlanResult } from '../../src/engine/result.js';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { cli } from '../../src/cli/index.js';
import { BIN, hasStack, ROOT, run, SAMPLE, tmpFiles } from '../helpers/cli.js';
import { graphOf } from '../helpers/graphs.js';
import { canonicalSnapshot, clearDatabase, cypher, describeNeo4j, snapshotFile, useSharedDatabase } from './helpers.js';

const TEST_MS = 120_000;
const HOSTILE_REL = 'x`]->() DETACH DELETE n //';
const HOSTILE_TYPE = 'a`) DETACH DELETE n //';
/** graphology names edges geid_<instance>_<n>, the instance numbered from a random byte per process. */
const stable = (text: string) => text.replace(/"geid_\d+_(\d+)"/g, '"geid_$1"');
async function inProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false });
  return { code, stdout, stderr };
}
const sample = () => JSON.parse(readFileSync(SAMPLE, 'utf8')) as Snapshot;

function oneLine(stderr: string): string {
  expect(hasStack(stderr)).toBe(false);
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describeNeo4j('Neo4j safety', () => {
  let uri: string;
  let conn: Neo4jConnection;
  const count = async (q = 'MATCH (n) RETURN count(n) AS c') => (await cypher(conn, q))[0].c as number;
  useSharedDatabase((u, c) => {
    uri = u;
    conn = c;
  });
  beforeEach(async () => {
    await clearDatabase(conn);
  });

  test(
    'ingest --to neo4j shows its progress (rows written) on a terminal, and prints the summary',
    async () => {
      const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
      const args = ['ingest', '--graph', SAMPLE, '--to', 'neo4j', '--neo4j-uri', uri];
      if (hasScript) {
        const quote = (t: string) => `'${t.replace(/'/g, `'\\''`)}'`;
        const command = [process.execPath, BIN, ...args].map(quote).join(' ');
        const env: Record<string, string | undefined> = { ...process.env, BLASTGUARD_PROGRESS_DELAY_MS: '0', CI: undefined };
        delete env.CI;
        const tty = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env, encoding: 'utf8' });
        expect(tty.status).toBe(0);
        expect(tty.stdout).toMatch(/\r\[[#-]+\] +\d+% +[\d,]+ of 395 rows written +[\d,]+ rows written\/s/);
        expect(tty.stdout).toContain('wrote 181 entities and 214 relations to Neo4j at');
      }
      const piped = run(args, { env: { BLASTGUARD_PROGRESS_DELAY_MS: '0' } });
      expect(piped.code).toBe(0);
      expect(piped.stderr).not.toContain('\r');
      expect(piped.stderr).toMatch(/^ingested 181 entities and 214 relations from 395 records in 1 file in [\d.]+ s\n/);
      expect(piped.stderr).toMatch(
        /\nwrote 181 entities and 214 relations to Neo4j at bolt:\/\/127\.0\.0\.1:\d+ in [\d.]+ s \([\d,]+ entities\/s, \d+ transactions\)\n$/,
      );
    },
    TEST_MS,
  );

  test(
    'a relation type or an entity type that is not a plain name is refused before anything is written',
    async () => {
      expect(run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri, '-q']).code).toBe(0);
      const before = await count();
      const schemaBefore = await cypher(conn, 'MATCH (s:BlastguardSchema) RETURN s.json AS json');

      const rel = sample();
      rel.schema.relations[HOSTILE_REL] = { onDelete: 'cascade' };
      rel.relations.push({ from: rel.entities[5].id, type: HOSTILE_REL, to: rel.entities[6].id });
      const r1 = run(['ingest', '--to', 'neo4j', '-g', snapshotFile(rel), '--neo4j-uri', uri]);
      expect(r1.code).toBe(2);
      expect(oneLine(r1.stderr)).toContain(`relation type ${JSON.stringify(HOSTILE_REL)} cannot be a Neo4j relationship type`);

      const type = sample();
      type.entities[7].type = HOSTILE_TYPE;
      const r2 = run(['ingest', '--to', 'neo4j', '-g', snapshotFile(type), '--neo4j-uri', uri]);
      expect(r2.code).toBe(2);
      expect(oneLine(r2.stderr)).toContain(`entity type ${JSON.stringify(HOSTILE_TYPE)} cannot be a Neo4j label`);

      const reserved = sample();
      reserved.entities[7].type = 'BlastguardSchema';
      const r3 = run(['ingest', '--to', 'neo4j', '-g', snapshotFile(reserved), '--neo4j-uri', uri]);
      expect(r3.code).toBe(2);
      expect(oneLine(r3.stderr)).toContain('is a label blastguard uses itself');

      expect(await count()).toBe(before);
      expect(await cypher(conn, 'MATCH (s:BlastguardSchema) RETURN s.json AS json')).toEqual(schemaBefore);
    },
    TEST_MS,
  );

  test(
    'types become labels and relationship types (hyphenated ones backquoted); the schema is stored in the database',
    async () => {
      expect(run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri, '-q']).code).toBe(0);
      const snap = sample();
      const installs = snap.entities.filter((e) => e.type === 'app-install').length;
      expect(installs).toBeGreaterThan(0);
      expect(await count('MATCH (n:`app-install`:BlastguardEntity) RETURN count(n) AS c')).toBe(installs);
      expect(await count('MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS c')).toBe(snap.relations.filter((r) => r.type === 'MEMBER_OF').length);
      const [{ json }] = await cypher(conn, 'MATCH (s:BlastguardSchema) RETURN s.json AS json');
      const stored = JSON.parse(json as string);
      expect(stored.boundary).toBe('site');
      expect(stored.relations.MEMBER_OF.onDelete).toBe('last-owner');
      const constraints = await cypher(
        conn,
        "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties WHERE name STARTS WITH 'blastguard' RETURN name, labelsOrTypes, properties ORDER BY name",
      );
      expect(constraints).toContainEqual({ name: 'blastguard_entity_id', labelsOrTypes: ['BlastguardEntity'], properties: ['id'] });
    },
    TEST_MS,
  );

  test(
    'hostile IDs, names and attributes go in as parameters and come back unchanged; a second load changes nothing',
    async () => {
      const snap: Snapshot = {
        schema: { boundary: 'site', relations: { IN: { onDelete: 'cascade' }, USES: { onDelete: 'last-owner' } } },
        entities: [
          { id: 'site:1', type: 'site', name: '<script>alert(1)</script>' },
          { id: '__proto__', type: 'doc', name: "'; MATCH (n) DETACH DELETE n //", attributes: { nested: { a: [1, 'two', null] }, constructor: 'x' } },
          { id: 'constructor', type: 'doc', protected: true },
          { id: "x'}) DETACH DELETE n //", type: 'doc', name: '`backquoted`' },
          { id: 'ünïcødé 😀', type: 'user', name: '' },
        ],
        relations: [
          { from: '__proto__', type: 'IN', to: 'site:1' },
          { from: 'constructor', type: 'IN', to: '__proto__' },
          { from: "x'}) DETACH DELETE n //", type: 'IN', to: 'site:1' },
          { from: 'ünïcødé 😀', type: 'USES', to: 'constructor' },
          { from: 'ünïcødé 😀', type: 'USES', to: "x'}) DETACH DELETE n //" },
        ],
      };
      const file = snapshotFile(snap);
      for (let i = 0; i < 2; i++) expect(run(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', uri, '-q']).code).toBe(0);
      expect(await count('MATCH (n:BlastguardEntity) RETURN count(n) AS c')).toBe(5);
      expect(await count('MATCH ()-[r]->() RETURN count(r) AS c')).toBe(5);
      const back = (await readGraph(conn)).toSnapshot();
      const expected = canonicalSnapshot(graphOf(snap).toSnapshot());
      expect(JSON.stringify({ e: back.entities, r: back.relations })).toBe(JSON.stringify({ e: expected.entities, r: expected.relations }));

      // A changed name, a dropped flag: the next load converges to the new snapshot.
      snap.entities[2] = { id: 'constructor', type: 'doc', name: 'renamed' };
      expect(run(['ingest', '--to', 'neo4j', '-g', snapshotFile(snap), '--neo4j-uri', uri, '-q']).code).toBe(0);
      const [row] = await cypher(conn, "MATCH (n:BlastguardEntity {id: 'constructor'}) RETURN n.name AS name, n.protected AS p");
      expect(row).toEqual({ name: 'renamed', p: null });
      expect(await count('MATCH (n:BlastguardEntity) RETURN count(n) AS c')).toBe(5);
    },
    TEST_MS,
  );

  test(
    'a graph written by someone else with hostile relationship types is data: read and push-down agree, nothing is deleted',
    async () => {
      const schema = { boundary: 'site', relations: { [HOSTILE_REL]: { onDelete: 'cascade' }, OWNS: { onDelete: 'last-owner' } } };
      // The test's own Cypher escapes the backquote by doubling it (what blastguard refuses to rely on).
      const escaped = '`' + HOSTILE_REL.replace(/`/g, '``') + '`';
      await cypher(
        conn,
        `CREATE (s:BlastguardSchema {key: 'schema', json: $json})
       CREATE (site:BlastguardEntity {id: 's', type: 'site'}), (p:BlastguardEntity {id: 'p', type: 'product'}),
              (d:BlastguardEntity {id: 'd', type: 'doc'}), (u:BlastguardEntity {id: 'u', type: 'user'}),
              (other:BlastguardEntity {id: 'other', type: 'site'})
       CREATE (p)-[:${escaped}]->(site), (d)-[:${escaped}]->(p), (u)-[:OWNS]->(site), (u)-[:OWNS]->(other)`,
        { json: JSON.stringify(schema) },
      );
      const before = await count();
      const pushed = run(['plan', 's', '-g', uri, '--backend', 'neo4j', '-f', 'json', '--allow-boundary-deletion']);
      const inMemory = run(['plan', 's', '-g', uri, '-f', 'json', '--allow-boundary-deletion']);
      expect(pushed.stderr).toBe('');
      expect(pushed.code).toBe(0);
      expect(pushed.stdout).toBe(inMemory.stdout);
      const result = JSON.parse(pushed.stdout) as PlanResult;
      expect(result.deleted.map((d) => [d.id, d.via?.relation ?? null])).toEqual([
        ['s', null],
        ['p', HOSTILE_REL],
        ['d', HOSTILE_REL],
      ]);
      expect(result.spared.map((s) => s.id)).toEqual(['u']);
      expect(await count()).toBe(before);
    },
    TEST_MS,
  );

  test(
    'no graph, a half-finished load, a schema that changes the meaning of a stored relation: one line, exit 2',
    async () => {
      const empty = run(['plan', 'x', '-g', uri, '--backend', 'neo4j']);
      expect(empty.code).toBe(2);
      expect(oneLine(empty.stderr)).toContain('no blastguard graph in this database');

      expect(run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri, '-q']).code).toBe(0);
      await cypher(conn, "MATCH (s:BlastguardSchema) SET s.loading = 'interrupted', s.loadingSince = datetime()");
      for (const args of [
        ['plan', 'site:globex', '-g', uri, '--backend', 'neo4j'],
        ['plan', 'site:globex', '-g', uri],
      ]) {
        const r = run(args);
        expect(r.code).toBe(2);
        expect(oneLine(r.stderr)).toContain('the graph in this database is incomplete');
      }
      await cypher(conn, 'MATCH (s:BlastguardSchema) REMOVE s.loading, s.loadingSince');

      const changed = sample();
      changed.schema.relations.MEMBER_OF = { onDelete: 'cascade' };
      const r = run(['ingest', '--to', 'neo4j', '-g', snapshotFile(changed), '--neo4j-uri', uri]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toContain('relation type "MEMBER_OF" is last-owner in the database but cascade here');

      const wrongBackend = run(['plan', 'x', '-g', SAMPLE, '--backend', 'neo4j']);
      expect(wrongBackend.code).toBe(2);
      expect(wrongBackend.stderr).toContain('--backend neo4j needs --graph bolt://');
    },
    TEST_MS,
  );

  test(
    'plan and check print the same on both backends, in every format, with selectors and modes; why reads from Neo4j',
    async () => {
      expect(run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri, '-q']).code).toBe(0);
      const dir = tmpFiles({
        'select-only.yaml':
          'select:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\nintent:\n  rootTypes: [app-install]\n  deleteTypes: [app-install, app-data]\n',
        'mismatch.yaml':
          'targets:\n  - site:globex\n  - nope\nselect:\n  - type: app-install\n    where: { app: [legacy-asset-mgmt, drawio] }\n  - type: site\n    where: { plan: sandbox }\nmode: permanent\nrehearsal: none.json\n',
      });
      // The format matrix runs the CLI in this process (the same code as bin/blastguard, without a spawn per case).
      const manifests = ['samples/manifests/incident-replay.yaml', join(dir, 'select-only.yaml'), join(dir, 'mismatch.yaml')];
      const plans = ['product:acme-prod/jira-software', 'user:jane.doe@acme.com', 'no-such-id'];
      for (const format of ['human', 'json', 'markdown', 'github', 'sarif', 'junit', 'dot', 'mermaid', 'graphology']) {
        for (const args of [...manifests.map((m) => ['check', m]), ['plan', ...plans]]) {
          const mem = await inProcess([...args, '-g', uri, '-f', format]);
          const pushed = await inProcess([...args, '-g', uri, '-f', format, '--backend', 'neo4j']);
          expect({ args, format, code: pushed.code, stderr: pushed.stderr }).toEqual({ args, format, code: mem.code, stderr: mem.stderr });
          expect(pushed.code).toBeLessThan(2);
          expect(stable(pushed.stdout)).toBe(stable(mem.stdout));
        }
      }
      // And once as a user runs it.
      const spawned = run(['check', join(dir, 'mismatch.yaml'), '-g', uri, '-f', 'markdown', '--backend', 'neo4j']);
      expect(spawned.code).toBe(1);
      expect(spawned.stdout).toBe((await inProcess(['check', join(dir, 'mismatch.yaml'), '-g', uri, '-f', 'markdown'])).stdout);
      const json = JSON.parse(run(['check', join(dir, 'mismatch.yaml'), '-g', uri, '-f', 'json', '--backend', 'neo4j']).stdout) as PlanResult;
      const rules = new Set(json.violations.map((v) => v.rule));
      for (const rule of ['target-mismatch', 'permanent-scope', 'permanent-unrehearsed', 'unknown-target']) expect(rules).toContain(rule);

      const roots = ['--roots', 'site:acme-prod', 'site:globex', 'site:initech'];
      const why = run(['why', 'user:alex.kim@atlas-consulting.io', ...roots, '-g', uri]);
      const whyFile = run(['why', 'user:alex.kim@atlas-consulting.io', ...roots, '-g', SAMPLE]);
      expect(why.code).toBe(whyFile.code);
      expect(why.stdout).toContain('user:alex.kim@atlas-consulting.io');

      // why computed inside Neo4j answers as on the graph read into memory.
      const whyPushed = run(['why', 'user:alex.kim@atlas-consulting.io', ...roots, '-g', uri, '--backend', 'neo4j']);
      expect([whyPushed.code, whyPushed.stdout]).toEqual([why.code, why.stdout]);
      // Approved plans carry the fingerprint of the whole graph, computed from the database: the same file as in memory.
      const out = run(['plan', 'site:globex', '-g', uri, '--backend', 'neo4j', '--out', join(dir, 'plan.json')]);
      const outMemory = run(['plan', 'site:globex', '-g', uri, '--out', join(dir, 'plan-memory.json')]);
      expect(out.code).toBe(outMemory.code);
      expect(readFileSync(join(dir, 'plan.json'), 'utf8')).toBe(readFileSync(join(dir, 'plan-memory.json'), 'utf8'));
    },
    TEST_MS,
  );

  test(
    'a reload warns about what the database holds beyond it; --prune makes the database exactly the new snapshot',
    async () => {
      expect(run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri, '-q']).code).toBe(0);
      // The next export: one site gone with everything that lives only in it, a product renamed to a new type, a
      // relation type dropped from the schema, and an onDelete changed (a merge refuses that; a prune replaces).
      const next = sample();
      const initech = JSON.parse(run(['plan', 'site:initech', '-g', SAMPLE, '--allow-boundary-deletion', '-f', 'json']).stdout) as PlanResult;
      const gone = new Set(initech.deleted.map((d) => d.id));
      next.entities = next.entities.filter((e) => !gone.has(e.id));
      const keptRelations = next.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to));
      const droppedType = 'CONNECTS';
      expect(keptRelations.some((r) => r.type === droppedType)).toBe(true);
      next.relations = keptRelations.filter((r) => r.type !== droppedType);
      delete next.schema.relations[droppedType];
      const retyped = next.entities.find((e) => e.type === 'product')!;
      retyped.type = 'legacy-product';
      const staleEntities = sample().entities.length - next.entities.length;
      const staleRelations = canonicalSnapshot(sample()).relations.length - canonicalSnapshot(next).relations.length;
      expect(staleEntities).toBeGreaterThan(5);

      // Without --prune: loaded, and the rest counted in a warning (even with -q), since plans on Neo4j still see it.
      const file = snapshotFile(next);
      const merged = run(['ingest', '--to', 'neo4j', '-g', file, '--neo4j-uri', uri, '-q']);
      expect(merged.code).toBe(0);
      expect(oneLine(merged.stderr)).toBe(
        `warning: Neo4j at ${uri} still holds ${staleEntities} entities and ${staleRelations} relations that are not in this load; plans on it include them (--prune removes them)`,
      );
      const stalePlan = JSON.parse(run(['plan', 'site:initech', '-g', uri, '--allow-boundary-deletion', '-f', 'json']).stdout) as PlanResult;
      expect(stalePlan.deleted.map((d) => d.id).sort()).toEqual([...gone].sort());

      // With --prune: the same counts removed, and the database reads back as exactly the new snapshot.
      next.schema.relations.MEMBER_OF = { onDelete: 'cascade' };
      const pruneFile = snapshotFile(canonicalSnapshot(next));
      expect(run(['ingest', '--to', 'neo4j', '-g', pruneFile, '--neo4j-uri', uri, '-q']).stderr).toContain(
        'relation type "MEMBER_OF" is last-owner in the database',
      );
      const pruned = run(['ingest', '--to', 'neo4j', '-g', pruneFile, '--neo4j-uri', uri, '-q', '--prune']);
      expect(pruned.code).toBe(0);
      expect(oneLine(pruned.stderr)).toBe(
        `removed ${staleEntities} entities and ${staleRelations} relations from Neo4j at ${uri} that earlier loads wrote and this one does not have (--prune)`,
      );
      const back = (await readGraph(conn)).toSnapshot();
      const expected = canonicalSnapshot(graphOf(next).toSnapshot());
      expect({ schema: back.schema, e: back.entities, r: back.relations }).toEqual({ schema: expected.schema, e: expected.entities, r: expected.relations });
      // The retyped entity lost its old label; no label of a type that no longer exists is left.
      const [labels] = await cypher(conn, 'MATCH (n:BlastguardEntity {id: $id}) RETURN labels(n) AS l', { id: retyped.id });
      expect(labels.l).toEqual(['BlastguardEntity', 'legacy-product']);
      // Plans on Neo4j, read into memory or pushed down, are the plans on the file.
      for (const target of ['site:initech', 'site:globex', retyped.id]) {
        const onFile = run(['plan', target, '-g', pruneFile, '-f', 'json', '--allow-boundary-deletion']);
        for (const backend of ['memory', 'neo4j']) {
          const onNeo4j = run(['plan', target, '-g', uri, '-f', 'json', '--allow-boundary-deletion', '--backend', backend]);
          expect({ target, backend, code: onNeo4j.code, out: onNeo4j.stdout }).toEqual({ target, backend, code: onFile.code, out: onFile.stdout });
        }
      }
      // A second --prune of the same snapshot has nothing to remove and says nothing.
      const again = run(['ingest', '--to', 'neo4j', '-g', pruneFile, '--neo4j-uri', uri, '-q', '--prune']);
      expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
      // --prune means nothing without --to neo4j.
      const misuse = run(['ingest', '-g', pruneFile, '--out', '-', '--prune']);
      expect(misuse.code).toBe(2);
      expect(misuse.stderr).toContain('--prune goes with --to neo4j');
      expect(misuse.stdout).toBe('');
    },
    2 * TEST_MS,
  ); // a dozen CLI runs, each a JVM round trip: generous on a loaded CI machine

  test(
    '--neo4j-database picks the database on every command that reads Neo4j; an unknown one is one line, exit 2',
    async () => {
      expect(run(['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri, '-q', '--neo4j-database', 'neo4j']).code).toBe(0);
      const target = ['site:globex', '--allow-boundary-deletion'];
      // A graph read from Neo4j is in canonical order (entities by ID), which the deletion order's ties follow.
      const canonical = snapshotFile(canonicalSnapshot(sample()));
      const onFile = run(['plan', ...target, '-g', canonical, '-f', 'json']);
      const named = run(['plan', ...target, '-g', uri, '-f', 'json', '--neo4j-database', 'neo4j', '--neo4j-user', 'neo4j']);
      expect(named.stdout).toBe(onFile.stdout);
      const auditFile = run(['audit', '-g', canonical, '-f', 'json']);
      const auditNeo4j = run(['audit', '-g', uri, '-f', 'json', '--neo4j-database', 'neo4j']);
      expect(auditNeo4j.code).toBe(auditFile.code);
      expect(JSON.parse(auditNeo4j.stdout)).toEqual(JSON.parse(auditFile.stdout));
      // verify checks an approved plan's freshness against the graph in Neo4j, in the database named.
      const approved = join(tmpFiles({}), 'approved.json');
      expect(run(['check', join(ROOT, 'samples/manifests/legacy-app-cleanup.yaml'), '-g', canonical, '--out', approved, '-q']).code).toBe(0);
      const ids = join(tmpFiles({}), 'ids.json');
      writeFileSync(ids, JSON.stringify((JSON.parse(readFileSync(approved, 'utf8')) as { roots: string[] }).roots));
      const fresh = run(['verify', '--plan', approved, '--ids', ids, '-g', uri, '--neo4j-database', 'neo4j']);
      expect({ code: fresh.code, stderr: fresh.stderr }).toEqual({ code: 0, stderr: '' });
      expect(fresh.stdout).toContain('snapshot same as the plan');
      for (const args of [
        ['plan', ...target, '-g', uri],
        ['plan', ...target, '-g', uri, '--backend', 'neo4j'],
        ['audit', '-g', uri],
        ['report', 'site:globex', '-g', uri],
        ['diff', '--before', SAMPLE, '--after', uri],
        ['verify', '--plan', approved, '--ids', ids, '-g', uri],
        ['ingest', '--to', 'neo4j', '-g', SAMPLE, '--neo4j-uri', uri],
      ]) {
        const r = run([...args, '--neo4j-database', 'no-such-db']);
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(oneLine(r.stderr)).toContain('Neo4j has no such database');
      }
    },
    2 * TEST_MS,
  ); // a dozen CLI runs, each a JVM round trip: generous on a loaded CI machine
});
