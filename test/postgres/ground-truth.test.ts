// Ground truth: on the sample schema (samples/postgres/saas.sql), run real DELETEs of random rows inside a
// transaction that is rolled back, and compare with blastguard's plan on the graph read from the same database:
// exactly the rows the plan deletes are gone, exactly the columns its detached relations name are changed, and the
// database refuses only when the plan has a protected/restricted violation (the documented conservative case:
// a RESTRICT / immediate NO ACTION whose referencing row the same statement also deletes).
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { plan } from '../../src/engine/plan.js';
import type { PlanResult } from '../../src/engine/result.js';
import { loadGraphFromPostgres } from '../../src/ingest/postgres.js';
import type { CompactGraph } from '../../src/store/compact.js';
import { ROOT } from '../helpers/cli.js';
import { connect, createDatabase, describePg, server, uri } from './helpers.js';

const DELETIONS = 230;

interface TableInfo {
  type: string;
  sql: string;
  pk: string[];
}

let db: string;
let client: pg.Client;
let graph: CompactGraph;
let tables: TableInfo[];
/** Relation type (constraint name) → the columns its ON DELETE SET NULL / SET DEFAULT changes. */
let setColumns: Map<string, string[]>;
/** Every row as column → text (never through a JavaScript number: the user IDs are above 2^53). */
let before: Map<string, Record<string, string | null>>;
/** The key values of each row, by ID. */
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

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Every row of every table with a primary key, by blastguard ID (the model of docs/databases.md, rebuilt here). */
async function state(): Promise<Map<string, Record<string, string | null>>> {
  const parts = tables.map(
    (t, i) =>
      `SELECT ${i} AS t, ARRAY[${t.pk.map((c) => `x.${q(c)}::text`).join(', ')}] AS key, (SELECT jsonb_object_agg(k, v) FROM jsonb_each_text(to_jsonb(x)) e(k, v))::text AS row FROM ${t.sql} x`,
  );
  const res = await client.query<{ t: number; key: string[]; row: string }>(parts.join(' UNION ALL '));
  const out = new Map<string, Record<string, string | null>>();
  for (const r of res.rows) {
    const type = tables[r.t].type;
    const key = r.key.length === 1 ? r.key[0] : r.key.map((v) => v.replace(/%/g, '%25').replace(/\|/g, '%7C')).join('|');
    out.set(`${type}:${key}`, JSON.parse(r.row) as Record<string, string | null>);
    keys.set(`${type}:${key}`, r.key);
  }
  return out;
}

beforeAll(async () => {
  server();
  db = await createDatabase('truth', readFileSync(join(ROOT, 'samples/postgres/saas.sql'), 'utf8'));
  process.env.PGPASSWORD = server().password;
  graph = (await loadGraphFromPostgres(uri(db), { warn: () => {} })).graph;
  client = await connect(db);
  const t = await client.query<{ schema: string; name: string; pk: string[] }>(`
    SELECT n.nspname AS schema, c.relname AS name,
           array_agg(a.attname::text ORDER BY array_position(con.conkey, a.attnum)) AS pk
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (con.conkey)
    WHERE con.contype = 'p' AND n.nspname IN ('public', 'billing') GROUP BY 1, 2 ORDER BY 1, 2`);
  tables = t.rows.map((r) => ({ type: r.schema === 'public' ? r.name : `${r.schema}.${r.name}`, sql: `${q(r.schema)}.${q(r.name)}`, pk: r.pk }));
  const f = await client.query<{ name: string; cols: string[] }>(`
    SELECT con.conname AS name, array_agg(a.attname::text) AS cols
    FROM pg_constraint con JOIN pg_attribute a ON a.attrelid = con.conrelid
     AND a.attnum = ANY (COALESCE(NULLIF(con.confdelsetcols, '{}'), con.conkey))
    WHERE con.contype = 'f' AND con.confdeltype IN ('n', 'd') GROUP BY 1`);
  setColumns = new Map(f.rows.map((r) => [r.name, r.cols]));
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

/** Runs the DELETE (and the deferred checks) in a transaction that is rolled back. */
async function deleteRow(id: string): Promise<Outcome> {
  const table = tables.find(
    (t) => id.startsWith(`${t.type}:`) && !tables.some((u) => u !== t && u.type.length > t.type.length && id.startsWith(`${u.type}:`)),
  )!;
  const where = table.pk.map((c, i) => `${q(c)}::text = $${i + 1}`).join(' AND ');
  const params = keys.get(id)!;
  await client.query('BEGIN');
  try {
    await client.query(`DELETE FROM ${table.sql} WHERE ${where}`, params);
    await client.query('SET CONSTRAINTS ALL IMMEDIATE');
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

describePg('real DELETEs on the sample schema agree with the plans', () => {
  test(`${DELETIONS} deletions: every tenant, every user, random rows`, async () => {
    const random = rng(20260412);
    const ids = [...before.keys()];
    const byType = new Map<string, string[]>();
    for (const id of ids) {
      const t = graph.typeOf(graph.indexOf(id));
      byType.set(t, [...(byType.get(t) ?? []), id]);
    }
    const types = [...byType.keys()].sort();
    // Every tenant and every user (the rows with the most constraints pointing at them), then random rows.
    const picks = [...byType.get('tenants')!, ...byType.get('users')!];
    while (picks.length < DELETIONS) {
      const list = byType.get(types[Math.floor(random() * types.length)])!;
      picks.push(list[Math.floor(random() * list.length)]);
    }
    let refused = 0;
    let conservative = 0;
    let exact = 0;
    for (const id of picks) {
      expect(graph.indexOf(id)).toBeGreaterThanOrEqual(0);
      const result = plan(graph, [id], { intent: { allowBoundaryDeletion: true } });
      const want = expected(result);
      const blockers = result.violations.filter((v) => v.rule === 'protected' || v.rule === 'restricted');
      const got = await deleteRow(id);
      const context = `deleting ${id}`;
      if (got.refused !== null) {
        refused++;
        // The database said no: the plan must say so too.
        expect({ context, refused: got.refused, blockers: blockers.length > 0 }).toEqual({ context, refused: got.refused, blockers: true });
        continue;
      }
      // The database let it through: every blocker the plan names is the conservative case (its referencing row is
      // deleted by the same plan), and no restricted violation (those are about survivors) can be there.
      for (const v of blockers) {
        expect({ context, rule: v.rule, blockerDeleted: want.deleted.has(v.entity!) }).toEqual({ context, rule: 'protected', blockerDeleted: true });
      }
      if (blockers.length) conservative++;
      else exact++;
      expect({ context, deleted: sorted(got.deleted) }).toEqual({ context, deleted: sorted(want.deleted) });
      expect({ context, changed: sorted(got.changed) }).toEqual({ context, changed: sorted(want.changed) });
    }
    // The sample is built so that every outcome occurs often.
    process.stdout.write(
      `ground truth: ${picks.length} deletions — ${exact} exact, ${conservative} conservative (allowed), ${refused} refused by PostgreSQL and by the plan\n`,
    );
    expect(refused).toBeGreaterThan(10);
    expect(exact).toBeGreaterThan(100);
    expect(conservative).toBeGreaterThan(0);
  }, 180_000);
});
