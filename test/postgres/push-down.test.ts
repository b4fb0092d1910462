// --backend postgres: the closure computed inside PostgreSQL gives the same JSON, byte for byte, as the engine on the
// whole database read into memory (--graph postgres://…) — on the samples, on random deletions of the ground-truth
// schema (samples/postgres/saas.sql) with and without its overlay, on the sample tenant (overlay arrays, polymorphic
// pairs, last-owner), through hostile identifiers; and the whole read is in one order whatever the heap's order,
// and one snapshot across its two connections.
import { beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planInPostgresWithStats } from '../../src/app/postgres-push-down.js';
import { plan } from '../../src/engine/plan.js';
import { loadGraphFromPostgres } from '../../src/ingest/postgres.js';
import { connectPostgres, withPostgres } from '../../src/store/postgres/connect.js';
import { readPostgres } from '../../src/store/postgres/read.js';
import type { CompactGraph } from '../../src/store/compact.js';
import { MANIFESTS, ROOT } from '../helpers/cli.js';
import { cli, createDatabase, describePg, exec, server, uri } from './helpers.js';

const SAAS = join(ROOT, 'samples/postgres/saas.sql');
const SAAS_OVERLAY = join(ROOT, 'samples/postgres/saas.overlay.yaml');
const TENANT = join(ROOT, 'samples/postgres/tenant.sql');
const TENANT_OVERLAY = join(ROOT, 'samples/postgres/tenant.overlay.yaml');

let saas: string;
let tenant: string;

beforeAll(async () => {
  server();
  process.env.PGPASSWORD = server().password;
  process.env.PGPASSFILE = '/nonexistent/pgpass';
  saas = await createDatabase('pushdown_saas', readFileSync(SAAS, 'utf8'));
  tenant = await createDatabase('pushdown_tenant', readFileSync(TENANT, 'utf8'));
}, 60_000);

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

const quiet = () => {};

async function readWhole(db: string, overlay?: string): Promise<CompactGraph> {
  return (await loadGraphFromPostgres(uri(db), { overlay, warn: quiet })).graph;
}

/** Deletions to try: every row of `first` types, then random single rows and random pairs. */
function picks(graph: CompactGraph, first: string[], count: number, seed: number): string[][] {
  const random = rng(seed);
  const ids = Array.from({ length: graph.size }, (_, i) => graph.idOf(i));
  const out: string[][] = ids.filter((id) => first.includes(graph.typeOf(graph.indexOf(id)))).map((id) => [id]);
  while (out.length < count) {
    const one = ids[Math.floor(random() * ids.length)];
    out.push(random() < 0.25 ? [one, ids[Math.floor(random() * ids.length)]] : [one]);
  }
  return out;
}

async function sameOnBoth(db: string, overlay: string | undefined, deletions: string[][], chunkSize?: number): Promise<void> {
  const whole = await readWhole(db, overlay);
  for (const roots of deletions) {
    const inMemory = JSON.stringify(plan(whole, roots, { intent: { allowBoundaryDeletion: true } }));
    const pushed = await planInPostgresWithStats({ uri: uri(db), overlay, warn: quiet }, roots, { intent: { allowBoundaryDeletion: true }, chunkSize });
    // One line per deletion on failure: which roots, not a 100 kB diff.
    expect({ roots, same: JSON.stringify(pushed.result) === inMemory }).toEqual({ roots, same: true });
  }
}

describePg('--backend postgres gives the JSON of the database read whole', () => {
  test('the ground-truth schema with its overlay: every tenant and user, then random rows and pairs (80 deletions)', async () => {
    const whole = await readWhole(saas, SAAS_OVERLAY);
    await sameOnBoth(saas, SAAS_OVERLAY, picks(whole, ['tenants', 'users'], 80, 7));
  }, 180_000);

  test('the ground-truth schema without an overlay, levels split over many queries (chunks of 2 keys; 40 deletions)', async () => {
    const whole = await readWhole(saas);
    await sameOnBoth(saas, undefined, picks(whole, ['tenants'], 40, 11), 2);
  }, 180_000);

  test('the sample tenant (overlay arrays, polymorphic pairs, last-owner memberships): 50 deletions', async () => {
    const whole = await readWhole(tenant, TENANT_OVERLAY);
    await sameOnBoth(tenant, TENANT_OVERLAY, picks(whole, ['site', 'organization', 'user'], 50, 13));
  }, 180_000);

  test('IDs that name no row: unknown, a name, a key that is not of the column type, a key the cast would change', async () => {
    await sameOnBoth(saas, SAAS_OVERLAY, [
      ['tenants:999'],
      ['tenants:abc'],
      ['tenants:01'],
      ['tenants: 1'],
      ['nosuchtable:1'],
      ['tenants:1', 'tenants:x'],
      ['Tenant 2 Inc.'],
    ]);
  }, 60_000);

  test('the CLI: plan and check with --backend postgres print what --graph prints', () => {
    const runs: [string[], string][] = [
      [['plan', 'tenants:3', '--graph', uri(saas), '--overlay', SAAS_OVERLAY, '--format', 'json', '--quiet'], 'saas plan'],
      [
        ['check', join(MANIFESTS, 'incident-replay.yaml'), '--graph', uri(tenant), '--overlay', TENANT_OVERLAY, '--format', 'json', '--quiet'],
        'incident replay',
      ],
      [
        ['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), '--graph', uri(tenant), '--overlay', TENANT_OVERLAY, '--format', 'json', '--quiet'],
        'app cleanup',
      ],
      [['plan', 'site:acme', '--graph', uri(tenant), '--overlay', TENANT_OVERLAY, '--quiet'], 'human text'],
    ];
    for (const [args, what] of runs) {
      const whole = cli(args);
      const pushed = cli([...args, '--backend', 'postgres']);
      expect({ what, code: pushed.code, stdout: pushed.stdout }).toEqual({ what, code: whole.code, stdout: whole.stdout });
      expect(whole.code === 0 || whole.code === 1).toBe(true);
    }
  }, 120_000);

  test('--backend postgres refuses a file graph, --mapping and an approved plan (exit 2, one line)', () => {
    const file = cli(['plan', 'site:acme', '--graph', join(ROOT, 'samples/tenant.json'), '--backend', 'postgres']);
    expect(file.code).toBe(2);
    expect(file.stderr.trim().split('\n')[0]).toMatch(/--backend postgres needs --graph postgres:\/\//);
    const out = cli(['plan', 'tenants:3', '--graph', uri(saas), '--backend', 'postgres', '--out', '/tmp/never.json']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/approved plan/);
  });

  test('a hostile table name and hostile column names are data: the push-down plans through them and drops nothing', async () => {
    const db = await createDatabase('pushdown_hostile');
    const child = 'a"; DROP TABLE b; --';
    await exec(
      db,
      `CREATE TABLE b (id int PRIMARY KEY);
       CREATE TABLE site (id int PRIMARY KEY, "na""me" text);
       CREATE TABLE "${child.replace(/"/g, '""')}" (id int PRIMARY KEY, "x'); DROP TABLE b; --" int REFERENCES site ON DELETE CASCADE);
       CREATE TABLE "%|:" ("k|1" text, "k%2" text, site int REFERENCES site ON DELETE SET NULL, PRIMARY KEY ("k|1", "k%2"));
       INSERT INTO b VALUES (1); INSERT INTO site VALUES (1, 'one'), (2, 'two');
       INSERT INTO "${child.replace(/"/g, '""')}" VALUES (10, 1), (11, 1), (12, 2);
       INSERT INTO "%|:" VALUES ('a|b', '50%', 1), ('c', 'd', 1);`,
    );
    await sameOnBoth(db, undefined, [['site:1'], ['site:2'], [`${child}:10`], ['%|::a%7Cb|50%25'], ['site:1', 'site:2']]);
    const pushed = await planInPostgresWithStats({ uri: uri(db), warn: quiet }, ['site:1']);
    expect(pushed.result.deleted.map((d) => d.id).sort()).toEqual([`${child}:10`, `${child}:11`, 'site:1']);
    expect(pushed.result.detached.map((d) => d.id).sort()).toEqual(['%|::a%7Cb|50%25', '%|::c|d']);
    const r = cli(['plan', 'site:1', '--graph', uri(db), '--backend', 'postgres', '--format', 'json', '--quiet']);
    const whole = cli(['plan', 'site:1', '--graph', uri(db), '--format', 'json', '--quiet']);
    expect(whole.code).toBe(1); // a site deleted: the boundary rule
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: whole.code, stdout: whole.stdout });
    // Table b is still there: nothing was executed from a name.
    const left = await readWhole(db);
    expect(left.indexOf('b:1')).toBeGreaterThanOrEqual(0);
  }, 60_000);
});

describePg('the graph read from PostgreSQL has one order', () => {
  test('rows moved around the heap (updated, so stored again at its end) read back as the same snapshot, byte for byte', async () => {
    const db = await createDatabase('pushdown_order', readFileSync(SAAS, 'utf8'));
    const args = ['ingest', '--graph', uri(db), '--overlay', SAAS_OVERLAY, '--out', '-', '--quiet'];
    const first = cli(args);
    expect(first.code).toBe(0);
    // An UPDATE writes a new version of each row at the end of the table: a scan now meets them in another order.
    await exec(db, 'UPDATE tenants SET name = name; UPDATE users SET email = email WHERE id % 2 = 0; UPDATE projects SET name = name;');
    const second = cli(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  }, 60_000);
});

describePg('the read is one snapshot across its two connections', () => {
  test("rows changed after the read began are seen by neither connection (the second imports the first one's snapshot)", async () => {
    const db = await createDatabase('pushdown_snapshot', readFileSync(SAAS, 'utf8'));
    const before = JSON.stringify((await readWhole(db, SAAS_OVERLAY)).toSnapshot());
    const { loadOverlayFile } = await import('../../src/ingest/overlay.js');
    const overlay = loadOverlayFile(SAAS_OVERLAY);
    let peers = 0;
    const { graph } = await withPostgres({ uri: uri(db), warn: quiet }, 'reading', (conn) =>
      readPostgres(conn, {
        overlay,
        warn: quiet,
        connectMore: async () => {
          // Committed after the first connection's snapshot, before the second one opens: both must miss it.
          await exec(
            db,
            `UPDATE tenants SET name = name || ' (renamed)'; UPDATE users SET email = 'x' || email;
             UPDATE projects SET name = 'renamed'; UPDATE issues SET title = 'renamed'; UPDATE documents SET title = 'renamed';`,
          );
          peers++;
          return connectPostgres({ uri: uri(db), warn: quiet });
        },
      }),
    );
    expect(peers).toBe(1);
    expect(JSON.stringify(graph.toSnapshot())).toBe(before);
    // And the change is there for a read that starts now.
    expect(JSON.stringify((await readWhole(db, SAAS_OVERLAY)).toSnapshot())).not.toBe(before);
  }, 60_000);
});
