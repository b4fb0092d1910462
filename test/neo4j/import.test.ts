// The bulk-import path end to end: `ingest --to neo4j-import` writes the CSV files, the printed command runs with the
// real import tool of the jars the test server uses (org.neo4j.cli.AdminTool), a server starts on the result, and the
// graph read from it, the plans on it and the plans pushed down into it equal those on the snapshot file. Hostile
// IDs, names and attributes (quotes, commas, line breaks, `__proto__`, Cypher) survive the CSV quoting; a type name
// that cannot be a label is refused before a file is written.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan } from '../../src/engine/plan.js';
import type { Snapshot } from '../../src/model/types.js';
import { planInNeo4j } from '../../src/app/neo4j-push-down.js';
import type { Neo4jConnection } from '../../src/store/neo4j/connect.js';
import { readGraph } from '../../src/store/neo4j/read.js';
import { hasStack, run } from '../helpers/cli.js';
import { graphOf } from '../helpers/graphs.js';
import { javaAndMavenAvailable, runNeo4jAdmin, startNeo4j, type Neo4jServer } from '../neo4j-server/server.mjs';
import { canonicalSnapshot, connect, cypher, snapshotFile } from './helpers.js';
import { START_TIMEOUT_MS } from './servers.mjs';

const tools = process.env.BLASTGUARD_NEO4J_SKIP ? { ok: false, why: process.env.BLASTGUARD_NEO4J_SKIP } : javaAndMavenAvailable();
if (!tools.ok && process.env.BLASTGUARD_REQUIRE_NEO4J === '1') throw new Error(`BLASTGUARD_REQUIRE_NEO4J=1 but the import test cannot run: ${tools.why}`);
const describeImport = tools.ok ? describe : describe.skip;

/** Splits the printed command into words (it quotes with single quotes only, as shellWord does). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (let m; (m = re.exec(line));) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return words;
}

/** Hostile values: everything CSV quoting has to carry, plus names that look like Cypher or like JS internals. */
const HOSTILE = {
  entities: [
    { id: '__proto__', type: 'page', name: 'quote " comma , semicolon ; end', attributes: { note: 'line\nbreak\r\nand "quotes", commas', constructor: 'x' } },
    { id: 'constructor', type: 'page', protected: true },
    { id: "x'}) DETACH DELETE n //", type: 'page', name: '`MATCH (n) DETACH DELETE n`' },
    { id: 'line\nbreak "id", with comma', type: 'page', name: '' },
    { id: '  padded \\ back\\slash\\"  ', type: 'page', name: '\\"not an escape\\"' },
    { id: 'ünïcødé 😀;BlastguardSchema', type: 'user', name: '""' },
  ],
  relations: (site: string, issue: string) => [
    { from: '__proto__', type: 'MENTIONS', to: issue },
    { from: '__proto__', type: 'MENTIONS', to: issue }, // listed twice: one relationship, as a load makes
    { from: 'line\nbreak "id", with comma', type: 'MENTIONS', to: "x'}) DETACH DELETE n //" },
    { from: 'ünïcødé 😀;BlastguardSchema', type: 'MEMBER_OF', to: site },
  ],
};

describeImport('neo4j-admin database import of ingest --to neo4j-import', () => {
  const dir = join(tmpdir(), `blastguard-import-test-${process.pid}`);
  let server: Neo4jServer | undefined;
  let conn: Neo4jConnection | undefined;
  let snap: Snapshot;
  let canonical: Snapshot;
  let stdout = '';

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const gen = run(['generate', '--sites', '4', '--seed', '3', '--out', join(dir, 'tenant.json')]);
    expect(gen.code).toBe(0);
    snap = JSON.parse(readFileSync(join(dir, 'tenant.json'), 'utf8')) as Snapshot;
    const site = snap.entities.find((e) => e.type === 'site')!.id;
    const issue = snap.entities.find((e) => e.type === 'issue')!.id;
    snap.entities.push(...(HOSTILE.entities as Snapshot['entities']));
    snap.relations.push(...HOSTILE.relations(site, issue));
    writeFileSync(join(dir, 'tenant.json'), JSON.stringify(snap));
    canonical = canonicalSnapshot(graphOf(snap).toSnapshot());
  });
  afterAll(async () => {
    await conn?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the files import with the printed command; the server on them holds exactly the snapshot; plans equal plans on the file', async () => {
    const out = join(dir, 'import');
    const r = run(['ingest', '-g', join(dir, 'tenant.json'), '--to', 'neo4j-import', '--out', out]);
    expect(r.code).toBe(0);
    stdout = r.stdout;
    expect(r.stderr).toMatch(new RegExp(`^wrote ${snap.entities.length.toLocaleString('en-US')} entities and [\\d,]+ relations as \\d+ CSV files`, 'm'));
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    const words = shellWords(r.stdout.trim());
    expect(words.slice(0, 5)).toEqual(['neo4j-admin', 'database', 'import', 'full', 'neo4j']);
    // A value holds a line break: the tool must be told to read quoted line breaks.
    expect(words).toContain('--multiline-fields=true');
    // One node file per entity type (plus the schema), one relationship file per relation type used.
    const types = new Set(snap.entities.map((e) => e.type));
    expect(words.filter((w) => w.startsWith('--nodes='))).toHaveLength(types.size + 1);

    const home = join(dir, 'home');
    const imported = await runNeo4jAdmin(home, words.slice(1), { quick: true });
    expect(imported.out).toMatch(/IMPORT DONE/);
    expect(imported.code).toBe(0);

    server = await startNeo4j({ home, quick: true, timeoutMs: START_TIMEOUT_MS });
    conn = await connect(server.uri);
    // The import tool makes no constraints: the printed file does.
    for (const statement of readFileSync(join(out, 'constraints.cypher'), 'utf8')
      .split(';\n')
      .filter((s) => s.trim()))
      await cypher(conn, statement);
    const constraints = await cypher(conn, 'SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names');
    expect(constraints[0].names).toEqual(expect.arrayContaining(['blastguard_entity_id', 'blastguard_schema_key']));

    const back = (await readGraph(conn)).toSnapshot();
    expect(JSON.stringify(back)).toBe(JSON.stringify(canonical));
    const counts = await cypher(conn, 'MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels');
    expect(counts).toEqual([{ nodes: canonical.entities.length + 1, rels: canonical.relations.length }]);

    // Plans: every site, a sample of other entities, the hostile ones; on the file (canonical order), read back,
    // pushed down.
    const fileGraph = graphOf(canonical);
    const sites = canonical.entities.filter((e) => e.type === 'site').map((e) => e.id);
    const others = canonical.entities.filter((_, i) => i % 701 === 0).map((e) => e.id);
    const roots = [...sites, ...others, ...HOSTILE.entities.map((e) => e.id)];
    const readBack = await readGraph(conn);
    for (const root of roots) {
      const expected = JSON.stringify(plan(fileGraph, [root]));
      expect(JSON.stringify(plan(readBack, [root]))).toBe(expected);
      expect(JSON.stringify(await planInNeo4j(conn, [root]))).toBe(expected);
    }
    // And through the CLI, as a user would: bolt:// against the canonical file, byte for byte.
    const file = snapshotFile(canonical);
    for (const backend of ['memory', 'neo4j']) {
      const onDb = run(['plan', sites[0], '-g', server.uri, '--backend', backend, '-f', 'json']);
      const onFile = run(['plan', sites[0], '-g', file, '-f', 'json']);
      expect(onDb.code).toBe(onFile.code);
      expect(onDb.stdout).toBe(onFile.stdout);
    }
  }, 600_000);

  test('a second run into the same directory replaces the files; a directory holding other files is refused', () => {
    const out = join(dir, 'import');
    const again = run(['ingest', '-g', join(dir, 'tenant.json'), '--to', 'neo4j-import', '--out', out, '-q']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(stdout);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const refused = run(['ingest', '-g', join(dir, 'tenant.json'), '--to', 'neo4j-import', '--out', out, '-q']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the import directory holds other files \(notes\.txt\)/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('an entity or relation type that is not a plain name is refused before any file is written', () => {
    const bad: Snapshot = {
      schema: { boundary: 'site', relations: { 'IN`]->() DETACH DELETE n //': { onDelete: 'cascade' } } },
      entities: [
        { id: 'site:1', type: 'site' },
        { id: 'doc:1', type: 'doc;BlastguardSchema' },
      ],
      relations: [{ from: 'doc:1', type: 'IN`]->() DETACH DELETE n //', to: 'site:1' }],
    };
    const out = join(dir, 'refused');
    const r = run(['ingest', '-g', snapshotFile(bad), '--to', 'neo4j-import', '--out', out]);
    expect(r.code).toBe(2);
    expect(hasStack(r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/relation type "IN`\]->\(\) DETACH DELETE n \/\/" cannot be a Neo4j relationship type/);
    expect(r.stderr).toMatch(/entity type "doc;BlastguardSchema" cannot be a Neo4j label/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
