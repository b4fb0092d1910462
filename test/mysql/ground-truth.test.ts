// Ground truth: on the MariaDB sample schema (samples/mysql/saas.sql), run real DELETEs of random rows inside a
// transaction that is rolled back, and compare with blastguard's plan on the graph read from the same database:
// exactly the rows the plan deletes are gone, exactly the columns its detached relations name are nulled, and InnoDB
// refuses only when the plan has a protected/restricted violation (the documented conservative case: a RESTRICT /
// NO ACTION whose referencing row the same statement also deletes), or for cascades nested deeper than InnoDB's 14
// levels (a cascade-depth violation).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { plan } from '../../src/engine/plan.js';
import type { PlanResult } from '../../src/engine/result.js';
import { loadGraphFromMysql } from '../../src/ingest/mysql.js';
import type { CompactGraph } from '../../src/store/compact.js';
import { ROOT } from '../helpers/cli.js';
import { connect, createDatabase, describeMy, emptyHome, server, uri } from './helpers.js';

const DELETIONS = 230;

interface TableInfo {
  name: string;
  pk: string[];
}

let db: string;
let client: mysql.Connection;
let graph: CompactGraph;
let tables: TableInfo[];
/** Relation type (constraint name) → the columns its ON DELETE SET NULL changes. */
let setColumns: Map<string, string[]>;
let before: Map<string, Record<string, string | null>>;
const keys = new Map<string, string[]>();

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const q = (s: string) => `\`${s.replace(/`/g, '``')}\``;
const text = (v: unknown) => (v === null ? null : String(v));

/** Every row of every table with a primary key, by blastguard ID (the model of docs/databases.md, rebuilt here). */
async function state(): Promise<Map<string, Record<string, string | null>>> {
  const out = new Map<string, Record<string, string | null>>();
  for (const t of tables) {
    const [rows] = await client.query(`SELECT * FROM ${q(t.name)}`);
    for (const r of rows as Record<string, unknown>[]) {
      const key = t.pk.map((c) => String(r[c]));
      const id = `${t.name}:${key.length === 1 ? key[0] : key.map((v) => v.replace(/%/g, '%25').replace(/\|/g, '%7C')).join('|')}`;
      out.set(id, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v)])));
      keys.set(id, key);
    }
  }
  return out;
}

beforeAll(async () => {
  server();
  db = await createDatabase('truth', readFileSync(join(ROOT, 'samples/mysql/saas.sql'), 'utf8'));
  process.env.MYSQL_PWD = server().password;
  process.env.HOME = emptyHome;
  graph = (await loadGraphFromMysql(uri(db), { warn: () => {} })).graph;
  client = await connect(db);
  const [pk] = await client.query(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE
     WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [db],
  );
  const byTable = new Map<string, string[]>();
  for (const r of pk as { t: string; c: string }[]) byTable.set(r.t, [...(byTable.get(r.t) ?? []), r.c]);
  tables = [...byTable].map(([name, cols]) => ({ name, pk: cols }));
  const [f] = await client.query(
    `SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE k
     JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME
     WHERE k.TABLE_SCHEMA = ? AND rc.DELETE_RULE = 'SET NULL'`,
    [db],
  );
  setColumns = new Map();
  for (const r of f as { name: string; col: string }[]) setColumns.set(r.name, [...(setColumns.get(r.name) ?? []), r.col]);
  before = await state();
}, 120_000);

afterAll(async () => {
  await client?.end();
});

interface Outcome {
  refused: string | null;
  deleted: Set<string>;
  changed: Set<string>;
}

async function deleteRow(id: string): Promise<Outcome> {
  const table = tables.find(
    (t) => id.startsWith(`${t.name}:`) && !tables.some((u) => u !== t && u.name.length > t.name.length && id.startsWith(`${u.name}:`)),
  )!;
  const where = table.pk.map((c) => `${q(c)} = ?`).join(' AND ');
  await client.query('START TRANSACTION');
  try {
    await client.query(`DELETE FROM ${q(table.name)} WHERE ${where}`, keys.get(id)!);
  } catch (err) {
    await client.query('ROLLBACK');
    return { refused: (err as Error).message, deleted: new Set(), changed: new Set() };
  }
  const after = await state();
  await client.query('ROLLBACK');
  const deleted = new Set<string>();
  const changed = new Set<string>();
  for (const [k, old] of before) {
    const now = after.get(k);
    if (!now) deleted.add(k);
    else for (const c of Object.keys(old)) if (old[c] !== now[c]) changed.add(`${k}.${c}`);
  }
  return { refused: null, deleted, changed };
}

function expected(result: PlanResult): { deleted: Set<string>; changed: Set<string> } {
  const changed = new Set<string>();
  for (const d of result.detached) for (const l of d.links) for (const c of setColumns.get(l.relation) ?? [`?${l.relation}`]) changed.add(`${d.id}.${c}`);
  return { deleted: new Set(result.deleted.map((d) => d.id)), changed };
}

const sorted = (s: Set<string>) => [...s].sort();

describeMy('real DELETEs on the MariaDB sample schema agree with the plans', () => {
  test(`${DELETIONS} deletions: every tenant, every user, random rows`, async () => {
    const random = rng(20261201);
    const byType = new Map<string, string[]>();
    for (const id of before.keys()) {
      const t = graph.typeOf(graph.indexOf(id));
      byType.set(t, [...(byType.get(t) ?? []), id]);
    }
    const types = [...byType.keys()].sort();
    // Every tenant, every user and every node of the 16-deep outline (InnoDB's cascade depth limit), then random rows.
    const picks = [...byType.get('tenants')!, ...byType.get('users')!, ...byType.get('outline_nodes')!, 'documents:501'];
    while (picks.length < DELETIONS) {
      const list = byType.get(types[Math.floor(random() * types.length)])!;
      picks.push(list[Math.floor(random() * list.length)]);
    }
    let refused = 0;
    let conservative = 0;
    let exact = 0;
    let depthRefused = 0;
    for (const id of picks) {
      expect(graph.indexOf(id)).toBeGreaterThanOrEqual(0);
      const result = plan(graph, [id], { intent: { allowBoundaryDeletion: true } });
      const want = expected(result);
      const blockers = result.violations.filter((v) => v.rule === 'protected' || v.rule === 'restricted' || v.rule === 'cascade-depth');
      const got = await deleteRow(id);
      const context = `deleting ${id}`;
      if (got.refused !== null) {
        refused++;
        if (result.violations.some((v) => v.rule === 'cascade-depth')) depthRefused++;
        expect({ context, refused: got.refused, blockers: blockers.length > 0 }).toEqual({ context, refused: got.refused, blockers: true });
        continue;
      }
      for (const v of blockers) {
        expect({ context, rule: v.rule, blockerDeleted: want.deleted.has(v.entity!) }).toEqual({ context, rule: 'protected', blockerDeleted: true });
      }
      if (blockers.length) conservative++;
      else exact++;
      expect({ context, deleted: sorted(got.deleted) }).toEqual({ context, deleted: sorted(want.deleted) });
      expect({ context, changed: sorted(got.changed) }).toEqual({ context, changed: sorted(want.changed) });
    }
    process.stdout.write(
      `ground truth (MariaDB): ${picks.length} deletions — ${exact} exact, ${conservative} conservative (allowed), ${refused} refused by InnoDB and by the plan (${depthRefused} for cascade depth)\n`,
    );
    expect(refused).toBeGreaterThan(10);
    expect(exact).toBeGreaterThan(100);
    // The outline: its document, the document's tenant and its top node are refused for depth (the second node is not).
    expect(depthRefused).toBe(3);
  }, 300_000);
});
