// audit, diff, report and the picture formats through the real CLI (bin/blastguard, built by `npm test`'s pretest).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { AuditResult } from '../../src/engine/audit.js';
import type { DiffResult } from '../../src/engine/diff.js';
import type { Snapshot } from '../../src/model/types.js';
import { hostileSnapshot, XSS } from '../helpers/hostile.js';
import { run as runCli } from '../helpers/cli.js';

const root = new URL('../../', import.meta.url).pathname;
const tenant = join(root, 'samples/tenant.json');
const incident = join(root, 'samples/manifests/incident-replay.yaml');
const cleanup = join(root, 'samples/manifests/legacy-app-cleanup.yaml');

const run = (...args: string[]) => runCli(args);

let dir: string;
let after: string;
let hostile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blastguard-review-'));
  const snap = JSON.parse(readFileSync(tenant, 'utf8')) as Snapshot;
  snap.schema.relations.MEMBER_OF.onDelete = 'cascade';
  after = join(dir, 'after.json');
  writeFileSync(after, JSON.stringify(snap));
  hostile = join(dir, 'hostile.json');
  writeFileSync(hostile, JSON.stringify(hostileSnapshot()));
});

describe('blastguard audit', () => {
  test('human: tables and risks, exit 0 without --fail-on', () => {
    const r = run('audit', '--graph', tenant);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Blast radius of each site');
    expect(r.stdout).toMatch(/organization\s+3\s+75/);
    // The boundary's type name as declared, never inflected; the sentence wraps at 80 columns (stdout is a pipe).
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('deleting one organization deletes up to 3 entities of type site and 75 entities');
    expect(r.stdout).toContain('shared-entity');
  });

  test('json is the AuditResult; markdown is a table', () => {
    const j = run('audit', '-g', tenant, '-f', 'json');
    const result = JSON.parse(j.stdout) as AuditResult;
    expect(result.graph.entities).toBe(181);
    expect(result.sites).toHaveLength(7);
    const md = run('audit', '-g', tenant, '--format', 'markdown').stdout;
    expect(md).toContain('| site | name | deletes |');
  });

  test('--fail-on: exit 1 on findings of the rule, 0 when the rule has none; unknown rules are usage errors', () => {
    expect(run('audit', '-g', tenant, '--fail-on', 'shared-entity').code).toBe(1);
    expect(run('audit', '-g', tenant, '--fail-on', 'cascade-cycle,none-structure').code).toBe(0);
    const bad = run('audit', '-g', tenant, '--fail-on', 'shared-entity,nonsense');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown rule "nonsense"');
  });

  test('--write-baseline then --baseline: the old findings pass, a new one fails', () => {
    const baseline = join(dir, 'accepted.json');
    expect(run('audit', '-g', tenant, '--write-baseline', baseline).code).toBe(0);
    const written = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(written.accepted.length).toBe((JSON.parse(run('audit', '-g', tenant, '-f', 'json').stdout) as AuditResult).findings.length);
    expect(run('audit', '-g', tenant, '--fail-on', 'all', '--baseline', baseline).code).toBe(0);
    // After the schema change, the multi-site users are new shared entities.
    const r = run('audit', '-g', after, '--fail-on', 'shared-entity', '--baseline', baseline, '-f', 'json');
    expect(r.code).toBe(1);
    const gated = JSON.parse(r.stdout) as AuditResult;
    const open = gated.findings.filter((f) => f.rule === 'shared-entity' && !f.accepted);
    expect(open.map((f) => f.entities[0].type).sort()).toEqual([...Array(3).fill('api-token'), ...Array(9).fill('user')]);
    expect(gated.gate).toMatchObject({ verdict: 'fail', failing: open.length, accepted: written.accepted.length, stale: [] });
  });

  test('a malformed baseline is an input error naming file, line and field', () => {
    const bad = join(dir, 'bad-baseline.json');
    writeFileSync(bad, '{\n  "accepted": [\n    { "fingerprint": "shared-entity:0123" }\n  ]\n}\n');
    const r = run('audit', '-g', tenant, '--baseline', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-baseline\.json:3: accepted\[0\]\.fingerprint: /);
    expect(r.stderr).not.toContain('    at ');
    writeFileSync(bad, '{"accepted": [{"fingerprint": "shared-entity:0123456789abcdef", "rule": "no-site"}]}');
    expect(run('audit', '-g', tenant, '--baseline', bad).stderr).toContain('rule "no-site" does not match the fingerprint');
  });

  test('--out audit.html writes the page atomically; dot and mermaid render the risk picture', () => {
    const out = join(dir, 'audit.html');
    const r = run('audit', '-g', tenant, '--out', out);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Structural risks');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(run('audit', '-g', tenant, '-f', 'dot').stdout).toContain('digraph blastguard');
    expect(run('audit', '-g', tenant, '-f', 'mermaid').stdout).toContain('flowchart LR');
    const gj = JSON.parse(run('audit', '-g', tenant, '-f', 'graphology').stdout);
    expect(gj.nodes.some((n: { key: string }) => n.key === 'connection:acme-prod/jira-software~acme-eu/confluence')).toBe(true);
  });
});

describe('blastguard diff', () => {
  test('names the onDelete change and the users it makes deletable; --fail-on-growth gates', () => {
    const r = run('diff', '--before', tenant, '--after', after);
    expect(r.code).toBe(0);
    // Counted as "user: 9" (a type name is never inflected), the boundary by its type name; JSON keeps its message.
    expect(r.stdout).toMatch(/MEMBER_OF: last-owner → cascade makes deletable by deleting a single site\s+entity: user: 9/);
    expect(run('diff', '--before', tenant, '--after', after, '--fail-on-growth', '10').code).toBe(1);
    expect(run('diff', '--before', tenant, '--after', after, '--fail-on-growth', '50').code).toBe(0);
    expect(run('diff', '--before', tenant, '--after', tenant, '--fail-on-growth', '0').code).toBe(0);
  });

  test('json and markdown', () => {
    const d = JSON.parse(run('diff', '-b', tenant, '-a', after, '-f', 'json', '--fail-on-growth', '30').stdout) as DiffResult;
    expect(d.gate!.failing).toEqual(d.sites.filter((s) => (s.growthPct ?? 0) > 30).map((s) => s.id));
    expect(run('diff', '-b', tenant, '-a', after, '-f', 'markdown').stdout).toContain('#### onDelete changes');
  });

  test('bad input: a negative threshold, a missing file', () => {
    expect(run('diff', '-b', tenant, '-a', after, '--fail-on-growth', '-5').code).toBe(2);
    const missing = run('diff', '-b', tenant, '-a', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: file not found');
  });
});

describe('blastguard report', () => {
  test('from a manifest: one self-contained page, exit 1 because the plan fails', () => {
    const out = join(dir, 'incident.html');
    const r = run('report', incident, '--graph', tenant, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAIL: 122 entities');
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i); // nothing loaded from anywhere
    expect(html).toContain('root-type');
    expect(html).toContain('Retire Legacy Asset Management');
  });

  test('from IDs, and a passing manifest exits 0', () => {
    expect(run('report', 'app-install:acme-prod/jsm/legacy-asset-mgmt', '-g', tenant, '-o', join(dir, 'one.html')).code).toBe(0);
    expect(run('report', cleanup, '-g', tenant, '-o', join(dir, 'cleanup.html')).code).toBe(0);
  });

  test('hostile names stay text', () => {
    const out = join(dir, 'hostile.html');
    run('report', 'site:s1', '-g', hostile, '-o', out);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<img');
  });

  test('an unknown target is a violation in the page, not a crash', () => {
    const r = run('report', 'nope:1', '-g', tenant, '-o', join(dir, 'nope.html'));
    expect(r.code).toBe(1);
    expect(readFileSync(join(dir, 'nope.html'), 'utf8')).toContain('unknown-target');
  });
});

describe('pictures for plan and check', () => {
  test('--format dot, mermaid and graphology', () => {
    const dot = run('check', incident, '-g', tenant, '-f', 'dot');
    expect(dot.code).toBe(1);
    expect(dot.stdout).toContain('digraph blastguard');
    expect(run('plan', 'site:globex', '-g', tenant, '-f', 'mermaid').stdout).toContain('flowchart LR');
    const gj = JSON.parse(run('plan', 'site:globex', '-g', tenant, '-f', 'graphology').stdout);
    expect(gj.attributes.roots).toEqual(['site:globex']);
  });

  test('graphviz renders the CLI output', () => {
    if (!existsSync('/usr/bin/dot')) return;
    const svg = spawnSync('/usr/bin/dot', ['-Tsvg'], { input: run('check', incident, '-g', tenant, '-f', 'dot').stdout, encoding: 'utf8' });
    expect(svg.status).toBe(0);
  });
});
