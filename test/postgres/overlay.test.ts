// The overlay (schemas/overlay.schema.json) on the sample schema: boundary, names, protection, attributes, skipped
// tables, relations the database does not declare (a plain column, a polymorphic pair, an array of IDs), onDelete
// overrides that show in `why` chains; and every mistake in an overlay reported at its file and line.
import { beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workdir } from '../helpers/cli.js';
import { cli, createDatabase, describePg, relStrings, server, snapshotOf, uri, type Snap } from './helpers.js';

const OVERLAY = join(ROOT, 'samples/postgres/saas.overlay.yaml');
let db: string;
let snap: Snap;
let stderr: string;

beforeAll(async () => {
  server();
  db = await createDatabase('overlay', readFileSync(join(ROOT, 'samples/postgres/saas.sql'), 'utf8'));
  ({ snap, stderr } = snapshotOf(db, ['--overlay', OVERLAY]));
}, 60_000);

const entity = (id: string) => snap.entities.find((e) => e.id === id);
const USER = (t: number, u: number) => `users:${9007199254740992n + BigInt(100 * t + u)}`;

/** Runs ingest with an overlay written to a temporary file; returns the problem lines. */
function overlayProblems(text: string): { code: number | null; lines: string[]; file: string } {
  const dir = workdir({ 'overlay.yaml': text });
  const file = join(dir, 'overlay.yaml');
  const r = cli(['ingest', '--graph', uri(db), '--overlay', file, '--quiet']);
  return { code: r.code, lines: r.stderr.trim().split('\n'), file };
}

describePg('the overlay', () => {
  test('boundary, display names, protection (a column, a list of IDs), attributes, skipped tables', () => {
    expect(snap.schema.boundary).toBe('tenants');
    expect(entity('tenants:6')).toEqual({
      id: 'tenants:6',
      type: 'tenants',
      name: 'Tenant 6 Inc.',
      protected: true,
      attributes: { slug: 'tenant-6', plan_code: 'free' },
    });
    expect(entity('tenants:5')?.protected).toBeUndefined();
    expect(entity('plans:1')).toEqual({ id: 'plans:1', type: 'plans', name: 'Free', protected: true });
    expect(entity(USER(1, 3))?.name).toBe('user3@tenant-1.example');
    expect(snap.entities.some((e) => e.type === 'webhook_deliveries')).toBe(false);
    expect(snap.schema.types).not.toHaveProperty('webhook_deliveries');
  });

  test('undeclared relations: a plain ID column, a polymorphic pair, an array of IDs — each named "… (overlay)"', () => {
    const rels = relStrings(snap);
    expect(snap.schema.relations['integrations.default_project_id (overlay)'].onDelete).toBe('detach');
    expect(snap.schema.relations['notification_target (overlay)'].onDelete).toBe('cascade');
    expect(snap.schema.relations['saved_filters.pinned_issue_ids (overlay)'].onDelete).toBe('detach');
    expect(rels).toContain('integrations:1 -integrations.default_project_id (overlay)-> projects:101');
    expect(rels).toContain('notifications:101051 -notification_target (overlay)-> issues:10105');
    expect(rels.some((r) => /^notifications:\d+2 -notification_target \(overlay\)-> comments:\d+$/.test(r))).toBe(true);
    expect(rels).toContain('saved_filters:1095 -saved_filters.pinned_issue_ids (overlay)-> issues:10201');
    // Tenant 3's integration names a project that does not exist: not followed, and said once.
    expect(rels.filter((r) => r.startsWith('integrations:3 -integrations.default_project_id'))).toEqual([]);
    expect(stderr).toMatch(
      /^warning: 1 value of integrations\.default_project_id \(relation integrations\.default_project_id \(overlay\)\) names no row; not followed$/m,
    );
  });

  test('an onDelete override renames the relation type and says what the database does', () => {
    expect(snap.schema.relations).not.toHaveProperty('comments_author_id_fkey');
    expect(snap.schema.relations['comments_author_id_fkey (overlay)']).toEqual({
      onDelete: 'cascade',
      description: 'comments: FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE SET NULL; overlay: cascade (the database: SET NULL → detach)',
    });
  });

  test('why shows the override in the chain', () => {
    // Comment 101012 (the second on issue 10101 of tenant 1) is written by user 1 + (2 + 10101) % 8 = 8 (saas.sql).
    const r = cli(['why', 'comments:101012', '--roots', USER(1, 8), '--graph', uri(db), '--overlay', OVERLAY, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/comments:101012 would be deleted, through 1 relation:/);
    expect(r.stdout).toMatch(/comments_author_id_fkey \(overlay\), cascade/);
  });

  test('mistakes are reported at their file and line, all of them, before any row is read', () => {
    const { code, lines, file } = overlayProblems(`boundary: tenantz
tables:
  users: { name: emial }
  tenants: { protected: slug }
  plans: { protected: ["tenants:1"] }
  audit_events: { name: action }
  users_typo: {}
  issues: { skip: true }
relations:
  - from: saved_filters
    array: name
    to: projects
    onDelete: detach
  - from: integrations
    column: default_project_id
    to: projects
    toColumn: name
    onDelete: detach
onDelete:
  no_such_fkey: cascade
`);
    expect(code).toBe(2);
    const f = (line: number, rest: string) => `blastguard: ${file}:${line}: ${rest}`;
    expect(lines).toEqual(
      expect.arrayContaining([
        f(7, 'tables.users_typo: no table "users_typo" in the database (outside "public", write schema.table)'),
        f(6, 'tables.audit_events: table audit_events has no primary key, so it is not read (blastguard needs a key for row IDs)'),
        f(20, 'onDelete.no_such_fkey: no foreign key of a table that is read is named "no_such_fkey"'),
        f(3, 'tables.users.name: table users has no column "emial"'),
        f(4, 'tables.tenants.protected: column "slug" of tenants is text, not boolean'),
        f(5, 'tables.plans.protected[0]: "tenants:1" is not an ID of table plans (plans:KEY)'),
        f(11, 'relations[0].array: column "name" of saved_filters is text, not an array'),
        f(17, 'relations[1].toColumn: column "name" of projects is not unique on its own (no unique index on it alone)'),
        f(1, 'boundary: table tenantz: no table "tenantz" in the database (outside "public", write schema.table)'.replace('table tenantz: ', '')),
      ]),
    );
    // Skipping issues would lose the cascades of the tables that refer to it.
    expect(lines.filter((l) => l.startsWith(f(8, 'tables.issues.skip: table issues cannot be skipped: tables that are read refer to it (')))).toHaveLength(1);
    expect(lines).toHaveLength(10);
  });

  test('the shape is checked by the JSON Schema, at the line', () => {
    const { code, lines, file } = overlayProblems(`tabels: {}
relations:
  - from: integrations
    column: default_project_id
    array: default_project_id
    to: projects
    onDelete: sideways
`);
    expect(code).toBe(2);
    expect(lines).toEqual([
      `blastguard: ${file}:1: tabels: unknown field "tabels"`,
      `blastguard: ${file}:7: relations[0].onDelete: must be one of "cascade", "last-owner", "detach", "restrict", "protect", "none"`,
    ]);
  });

  test('a stored polymorphic type the map does not name is an error, with its row count; a protected ID that names no row too', () => {
    const a = overlayProblems(`relations:
  - from: notifications
    polymorphic: { type: target_type, id: target_id }
    to: { Issue: issues }
    onDelete: cascade
`);
    expect(a.code).toBe(2);
    expect(a.lines).toEqual([
      `blastguard: ${a.file}:4: relations[0].to: notifications.target_type holds "Comment" in 42 rows, which this map does not name: map it to a table`,
    ]);
    const b = overlayProblems(`tables:
  plans:
    protected: ["plans:1", "plans:99"]
`);
    expect(b.code).toBe(2);
    expect(b.lines.filter((l) => !l.startsWith('warning'))).toEqual([
      `blastguard: ${b.file}:3: tables.plans.protected[1]: no row of plans has the ID "plans:99"`,
    ]);
  });

  test('--overlay belongs to a database: with a file graph it is a usage error', () => {
    const r = cli(['plan', 'site:acme-prod', '--graph', join(ROOT, 'samples/tenant.json'), '--overlay', OVERLAY]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--overlay goes with --graph postgres:\/\//);
  });
});
