// `ingest --mapping M --check-against mysql://…`: a mapping made from the database's own snapshot passes; one that
// lacks a foreign key, maps a CASCADE as detach and a RESTRICT as none fails (exit 1) naming each, and a reference
// with no constraint behind it is listed.
import { beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { writeMapping } from '../helpers/mapping-from-snapshot.js';
import { cli, createDatabase, describeMy, snapshotOf, uri, type Snap } from './helpers.js';

let db: string;
let snap: Snap;

beforeAll(async () => {
  db = await createDatabase('check', readFileSync(join(ROOT, 'samples/mysql/saas.sql'), 'utf8'));
  snap = snapshotOf(db).snap;
}, 120_000);

describeMy('ingest --mapping --check-against mysql://', () => {
  test("the database's own mapping passes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-check-'));
    const r = cli(['ingest', '--mapping', writeMapping(dir, snap), '--check-against', uri(db), '--quiet']);
    expect(r.stderr).toBe('warning: 1 table without a primary key is not read: audit_events (18 rows)\n');
    expect(r.stdout).toMatch(/^PASS {2}the mapping against mysql:\/\/root@/m);
    expect(r.stdout).not.toMatch(/✖/);
    expect(r.code).toBe(0);
  });

  test('a wrong mapping fails, naming each finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-check-'));
    const mapping = writeMapping(dir, snap, {
      drop: ['comments_issue_id_fkey'],
      onDelete: { users_tenant_id_fkey: 'detach', approvals_approver_id_fkey: 'none', issues_assignee_id_fkey: 'none', projects_owner_id_fkey: 'cascade' },
      extra: { type: 'EXTRA', onDelete: 'cascade', pairs: [['users:9007199254741098', 'tenants:2']] },
    });
    const r = cli(['ingest', '--mapping', mapping, '--check-against', uri(db), '--quiet']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(
      '✖ missing: foreign key comments_issue_id_fkey (comments → issues, onDelete cascade): 288 of 288 references are not in the mapping',
    );
    expect(lines).toContain(
      '✖ weaker: foreign key users_tenant_id_fkey (users → tenants, onDelete cascade) is mapped as users_tenant_id_fkey with onDelete detach (48 of 48 references)',
    );
    // Every approval is a self-approval: the requester's cascade does not stand for the approver's RESTRICT.
    expect(lines).toContain(
      '✖ weaker: foreign key approvals_approver_id_fkey (approvals → users, onDelete protect) is mapped as approvals_approver_id_fkey with onDelete none (42 of 42 references)',
    );
    expect(lines).toContain(
      '✖ weaker: foreign key approvals_approver_id_fkey (approvals → users, onDelete protect) is mapped as approvals_requester_id_fkey with onDelete cascade (42 of 42 references)',
    );
    // A cascade for a RESTRICT would pass a deletion the database refuses.
    expect(lines).toContain(
      '✖ weaker: foreign key projects_owner_id_fkey (projects → users, onDelete protect) is mapped as projects_owner_id_fkey with onDelete cascade (18 of 18 references)',
    );
    expect(lines).toContain(
      '✖ weaker: foreign key issues_assignee_id_fkey (issues → users, onDelete detach) is mapped as issues_assignee_id_fkey with onDelete none (108 of 108 references)',
    );
    expect(lines).toContain('• no constraint: relation type EXTRA (onDelete cascade): 1 of 1 reference have no foreign key behind them');
    expect(lines[lines.length - 1]).toMatch(
      /^FAIL {2}the mapping against mysql:\/\/root@127\.0\.0\.1:\d+\/\w+: 6 findings would make blastguard report less than the database would delete$/,
    );
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(process.env.MYSQL_PWD ?? 'bg-test-My-1');
  });

  test('usage: --check-against needs --mapping and a database URI', () => {
    expect(cli(['ingest', '--graph', 'x.json', '--check-against', uri(db)]).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'bg-check-'));
    const r = cli(['ingest', '--mapping', writeMapping(dir, snap), '--check-against', 'bolt://localhost:7687']);
    expect(r.stderr.trim()).toMatch(/--check-against takes a database URI/);
    expect(r.code).toBe(2);
  });
});
