// Every command that takes --graph, on a real database (the sample schema and its overlay): plan, check, why, audit,
// report, verify, diff, and ingest to a snapshot file that then gives the same plans; the library's loadGraph; the
// password only from PGPASSWORD or a password file, never from the URI, never printed.
import { beforeAll, expect, test } from '@jest/globals';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGraph, plan } from '../../src/api.js';
import { ROOT, workdir } from '../helpers/cli.js';
import { cli, createDatabase, describePg, server, uri } from './helpers.js';

const OVERLAY = join(ROOT, 'samples/postgres/saas.overlay.yaml');
let db: string;
let dir: string;
// audit and verify have no --quiet (progress is drawn only on a terminal anyway).
const G = () => ['--graph', uri(db), '--overlay', OVERLAY];

beforeAll(async () => {
  server();
  db = await createDatabase('cli', readFileSync(join(ROOT, 'samples/postgres/saas.sql'), 'utf8'));
  dir = workdir({
    'retire-project.yaml': `description: Retire project 4-3 of tenant 4 with everything in it.
targets: [projects:403]
intent:
  rootTypes: [projects]
  deleteTypes: [projects, project_members, milestones, issues, issue_labels, comments, attachments, reactions, watchers, issue_links, time_entries, sprints, sprint_issues, boards, issue_field_values, notifications]
limits: { maxDeleted: 200 }
`,
  });
}, 60_000);

describePg('--graph postgres:// on every command', () => {
  test('plan: the tenant boundary, names from the overlay, exit 1 on a violation', () => {
    const r = cli(['plan', 'tenants:4', ...G()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL/);
    expect(r.stdout).toMatch(/tenants:4 \(Tenant 4 Inc\.\) \[tenants\]/);
    expect(r.stdout).toMatch(/boundary-deleted/);
    // The warning about the table without a primary key is not silenced by --quiet.
    expect(r.stderr.split('\n')[0]).toBe('warning: 1 table without a primary key is not read: audit_events (18 rows)');
  });

  test('check → approved plan → verify against the same database', () => {
    const out = join(dir, 'plan.json');
    const c = cli(['check', join(dir, 'retire-project.yaml'), ...G(), '--out', out]);
    expect(c.stdout).toMatch(/^PASS/);
    expect(c.code).toBe(0);
    const approved = JSON.parse(readFileSync(out, 'utf8')) as { deleted: string[] };
    expect(approved.deleted).toContain('issues:40301');
    const v = cli(['verify', '--plan', out, '--ids', '-', ...G()], {}, 'projects:403\n');
    expect(v.stdout).toMatch(/^OK/);
    expect(v.code).toBe(0);
  });

  test('why, audit, report, diff', () => {
    const w = cli(['why', 'issues:40301', '--roots', 'projects:403', ...G()]);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/issues:40301 \(Issue 40301\) \[issues\] {2}issues_project_fkey, cascade/);
    const a = cli(['audit', ...G(), '--format', 'json']);
    expect(a.code).toBe(0);
    expect(JSON.stringify(JSON.parse(a.stdout))).toMatch(/tenants:1/);
    const html = join(dir, 'report.html');
    const r = cli(['report', 'projects:403', ...G(), '--out', html]);
    expect(r.code).toBe(0);
    expect(readFileSync(html, 'utf8')).toMatch(/Project 4-3/);
    const d = cli(['diff', '--before', uri(db), '--after', uri(db), '--overlay', OVERLAY]);
    expect(d.code).toBe(0);
  });

  test('ingest --graph URI --out snapshot.json / .ndjson: the snapshot plans exactly as the database does', async () => {
    for (const name of ['snap.json', 'snap.ndjson']) {
      const file = join(dir, name);
      const i = cli(['ingest', ...G(), '--out', file, '--quiet']);
      expect(i.code).toBe(0);
      expect(existsSync(file)).toBe(true);
    }
    const onDb = cli(['plan', 'users:9007199254741308', ...G(), '--format', 'json']);
    for (const name of ['snap.json', 'snap.ndjson']) {
      const onFile = cli(['plan', 'users:9007199254741308', '--graph', join(dir, name), '--format', 'json', '--quiet']);
      expect(onFile.code).toBe(onDb.code);
      expect(JSON.parse(onFile.stdout)).toEqual(JSON.parse(onDb.stdout));
    }
  });

  test('the library: loadGraph(URI, { overlay })', async () => {
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = server().password;
    try {
      const graph = await loadGraph(uri(db), { overlay: OVERLAY });
      expect(graph.nameOf(graph.indexOf('tenants:2'))).toBe('Tenant 2 Inc.');
      expect(plan(graph, ['projects:403']).verdict).toBe('pass');
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });
});

describePg('the password', () => {
  test('a password in the URI is refused, and not printed', () => {
    const s = server();
    const secret = 'Sup3r-Secret';
    for (const u of [`postgres://postgres:${secret}@${s.host}:${s.port}/${db}`, `postgresql://postgres@${s.host}:${s.port}/${db}?password=${secret}`]) {
      const r = cli(['plan', 'tenants:1', '--graph', u]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/the URI carries a password: remove it and set PGPASSWORD or use ~\/\.pgpass/);
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
  });

  test('~/.pgpass (PGPASSFILE) is used without PGPASSWORD; one that others can read is ignored with a warning', () => {
    const s = server();
    const pw = workdir({ pgpass: `# comment\nother:*:*:*:nope\n${s.host}:${s.port}:*:postgres:${s.password.replace(/:/g, '\\:')}\n` });
    const file = join(pw, 'pgpass');
    chmodSync(file, 0o600);
    const ok = cli(['plan', 'projects:403', '--graph', uri(db), '--quiet'], { PGPASSWORD: undefined, PGPASSFILE: file });
    expect(ok.stderr).not.toMatch(/refused/);
    expect(ok.code).toBe(0);
    chmodSync(file, 0o644);
    const bad = cli(['plan', 'projects:403', '--graph', uri(db), '--quiet'], { PGPASSWORD: undefined, PGPASSFILE: file });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`warning: password file "${file}" has group or world access; permissions should be u=rw (0600) or less; ignored`);
    expect(bad.stderr).toMatch(/PostgreSQL refused user "postgres" with no password/);
    expect(bad.stderr).not.toContain(s.password);
    writeFileSync(file, '');
  });
});
