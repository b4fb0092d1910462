// `ingest --mapping M --check-against postgres://…`: a mapping made from the database's own snapshot passes; a
// deliberately wrong one (a foreign key left out, a CASCADE mapped as detach, a SET NULL as none, a deferred NO
// ACTION as none, a reference the database does not have) fails with exit 1 and names each.
import { beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { writeMapping } from '../helpers/mapping-from-snapshot.js';
import { cli, createDatabase, describePg, snapshotOf, uri, type Snap } from './helpers.js';

let db: string;
let snap: Snap;

beforeAll(async () => {
  db = await createDatabase('check', readFileSync(join(ROOT, 'samples/postgres/saas.sql'), 'utf8'));
  snap = snapshotOf(db).snap;
}, 120_000);

describePg('ingest --mapping --check-against postgres://', () => {
  test("the database's own mapping passes", () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-check-'));
    const r = cli(['ingest', '--mapping', writeMapping(dir, snap), '--check-against', uri(db), '--quiet']);
    expect(r.stdout).toMatch(
      /^PASS {2}the mapping against postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+: every foreign key of \d+ is mapped at least as strongly$/m,
    );
    expect(r.stdout).not.toMatch(/✖/);
    expect(r.code).toBe(0);
  });

  test('a deliberately wrong mapping fails, naming each finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bg-check-'));
    const mapping = writeMapping(dir, snap, {
      drop: ['issues_project_fkey'],
      onDelete: { comments_issue_id_fkey: 'detach', comments_author_id_fkey: 'none', time_entries_user_id_fkey: 'none' },
      extra: { type: 'LEGACY_LINK', onDelete: 'cascade', pairs: [['projects:101', 'tenants:2']] },
    });
    const r = cli(['ingest', '--mapping', mapping, '--check-against', uri(db), '--quiet']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('✖ missing: foreign key issues_project_fkey (issues → projects, onDelete cascade): 144 of 144 references are not in the mapping');
    expect(lines).toContain(
      '✖ weaker: foreign key comments_issue_id_fkey (comments → issues, onDelete cascade) is mapped as comments_issue_id_fkey with onDelete detach (288 of 288 references)',
    );
    expect(
      lines.some((l) =>
        /^✖ weaker: foreign key comments_author_id_fkey \(comments → users, onDelete detach\) is mapped as comments_author_id_fkey with onDelete none/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        /^✖ weaker: foreign key time_entries_user_id_fkey \(time_entries → users, onDelete restrict\) is mapped as time_entries_user_id_fkey with onDelete none/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines).toContain('• no constraint: relation type LEGACY_LINK (onDelete cascade): 1 of 1 reference have no foreign key behind them');
    expect(lines[lines.length - 1]).toMatch(
      /^FAIL {2}the mapping against postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+: 4 findings would make blastguard report less than the database would delete$/,
    );
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(process.env.PGPASSWORD ?? 'bg-test-Pw-1');
  });
});
