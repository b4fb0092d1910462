// The CLI on a MariaDB database (samples/mysql/saas.sql): the overlay (boundary, names, a boolean protected column,
// attributes, a polymorphic pair, an onDelete override shown in why chains), a snapshot that plans like the
// database (schema.maxCascadeDepth kept), and the cascade-depth case of docs/databases.md.
import { beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { cli, createDatabase, describeMy, snapshotOf, uri, type Snap } from './helpers.js';

const OVERLAY = join(ROOT, 'samples/mysql/saas.overlay.yaml');
let db: string;

beforeAll(async () => {
  db = await createDatabase('cli', readFileSync(join(ROOT, 'samples/mysql/saas.sql'), 'utf8'));
}, 120_000);

interface Result {
  verdict: string;
  deleted: { id: string }[];
  detached: { id: string }[];
  violations: { rule: string; entity: string | null }[];
}

/** A plan's answer, independent of the order entities were read in. */
function gist(stdout: string) {
  const r = JSON.parse(stdout) as Result;
  return {
    verdict: r.verdict,
    deleted: r.deleted.map((d) => d.id).sort(),
    detached: r.detached.map((d) => d.id).sort(),
    violations: r.violations.map((v) => `${v.rule} ${v.entity}`).sort(),
  };
}

describeMy('blastguard on mysql://', () => {
  test('the model: types, exact IDs, constraint names and onDelete, the table without a primary key', () => {
    const { snap, stderr } = snapshotOf(db);
    expect(stderr).toBe('warning: 1 table without a primary key is not read: audit_events (18 rows)\n');
    expect(snap.schema.maxCascadeDepth).toBe(14);
    const rel = (name: string) => snap.schema.relations[name].onDelete;
    expect([rel('users_tenant_id_fkey'), rel('users_manager_id_fkey'), rel('projects_owner_id_fkey'), rel('issues_reporter_id_fkey')]).toEqual([
      'cascade',
      'detach',
      'protect',
      'protect',
    ]);
    const ids = new Set(snap.entities.map((e) => e.id));
    for (const id of ['users:9007199254741093', 'labels:1|needs%7Creview', 'labels:1|100%25', 'billing_invoices:11', 'plans:1']) expect(ids).toContain(id);
    // A key to a unique non-primary column points at the primary-key ID; a composite key to a unique pair too.
    const edges = new Set(snap.relations.map((r) => `${r.from} -${r.type}-> ${r.to}`));
    expect(edges).toContain('tenants:1 -tenants_plan_code_fkey-> plans:2');
    expect(edges).toContain('issues:10101 -issues_project_fkey-> projects:101');
  });

  test('the overlay: names, protection, attributes, polymorphic targets, an override in why chains', () => {
    const { snap } = snapshotOf(db, ['--overlay', OVERLAY]);
    expect(snap.schema.boundary).toBe('tenants');
    const t6 = snap.entities.find((e) => e.id === 'tenants:6')!;
    expect(t6).toEqual({ id: 'tenants:6', type: 'tenants', name: 'Tenant 6 Inc.', protected: true, attributes: { slug: 'tenant-6', plan_code: 'free' } });
    expect(snap.entities.find((e) => e.id === 'plans:1')!.protected).toBe(true);
    expect(snap.entities.some((e) => e.type === 'webhook_deliveries')).toBe(false);
    expect(snap.relations).toContainEqual({ from: 'notifications:101051', type: 'notification_target (overlay)', to: 'issues:10105' });
    const why = cli(['why', 'comments:101012', '--roots', 'users:9007199254741100', '--graph', uri(db), '--overlay', OVERLAY]);
    expect(why.stdout).toContain('└ comments:101012 [comments]  comments_author_id_fkey (overlay), cascade');
    expect(why.code).toBe(0);
  });

  test('a snapshot plans like the database, the cascade-depth case included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-mysnap-'));
    const file = join(dir, 'saas.json');
    expect(cli(['ingest', '--graph', uri(db), '--out', file, '--quiet']).code).toBe(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Snap).schema.maxCascadeDepth).toBe(14);
    for (const id of ['documents:501', 'outline_nodes:5002', 'users:9007199254741098', 'tenants:4']) {
      const fromDb = cli(['plan', id, '--graph', uri(db), '--format', 'json', '--allow-boundary-deletion']);
      const fromFile = cli(['plan', id, '--graph', file, '--format', 'json', '--allow-boundary-deletion']);
      expect(gist(fromFile.stdout)).toEqual(gist(fromDb.stdout));
    }
    const deep = cli(['plan', 'documents:501', '--graph', file]);
    // Human output is fitted to 80 columns when piped: read the sentence across its line breaks.
    expect(deep.stdout.replace(/\n\s+/g, ' ')).toContain(
      'deleting this nests cascades 16 levels deep (through outline_nodes:5016); the database carries out at most 14 and refuses the whole deletion',
    );
    expect(deep.code).toBe(1);
    expect(cli(['plan', 'outline_nodes:5002', '--graph', file]).code).toBe(0);
  });
});
