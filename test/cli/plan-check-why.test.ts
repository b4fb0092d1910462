// The plan, check and why commands, spawned as a user runs them.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { Ajv } from 'ajv';
import type { PlanResult } from '../../src/engine/result.js';
import { spawnSync } from 'node:child_process';
import { BIN as BIN_PATH, MANIFESTS, ROOT, SAMPLE, run, tmpFiles } from '../helpers/cli.js';

const resultSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/plan-result.schema.json'), 'utf8'));
const validateResult = new Ajv({ allErrors: true, strict: false }).compile(resultSchema);

describe('check: the pre-merge gate', () => {
  test('the intended legacy-app cleanup passes with exit 0 and deletes only installs and their data', () => {
    const r = run(['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), '--graph', SAMPLE, '--format', 'json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as PlanResult;
    expect(validateResult(result)).toBe(true);
    expect(result.verdict).toBe('pass');
    expect(new Set(result.deleted.map((d) => d.type))).toEqual(new Set(['app-install', 'app-data']));
  });
  test('the incident replay fails with exit 1, root-type and boundary-deleted, in words a person recognises', () => {
    const r = run(['check', join(MANIFESTS, 'incident-replay.yaml'), '--graph', SAMPLE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL/);
    expect(r.stdout).toContain('root-type');
    expect(r.stdout).toContain('boundary-deleted');
    expect(r.stdout).toContain('acme.atlassian.net'); // site names, not only IDs
    expect(r.stdout).toContain('… and'); // long lists are cut
    const json = JSON.parse(run(['check', join(MANIFESTS, 'incident-replay.yaml'), '-g', SAMPLE, '-f', 'json']).stdout) as PlanResult;
    expect(validateResult(json)).toBe(true);
    const rules = new Set(json.violations.map((v) => v.rule));
    for (const rule of ['root-type', 'boundary-deleted', 'delete-type', 'cross-boundary', 'protected', 'max-deleted']) expect(rules).toContain(rule);
    expect(json.violations.find((v) => v.rule === 'boundary-deleted')!.chain[0].id).toMatch(/^site:/);
  });
  test('--full shows every deleted entity in the tree', () => {
    const full = run(['check', join(MANIFESTS, 'incident-replay.yaml'), '-g', SAMPLE, '--full']).stdout;
    const json = JSON.parse(run(['check', join(MANIFESTS, 'incident-replay.yaml'), '-g', SAMPLE, '-f', 'json']).stdout) as PlanResult;
    for (const d of json.deleted) expect(full).toContain(d.id);
    expect(full).not.toContain('--full shows all');
  });
  test('markdown for a pull-request comment', () => {
    const r = run(['check', join(MANIFESTS, 'incident-replay.yaml'), '-g', SAMPLE, '-f', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### ❌ blastguard: FAIL/);
    expect(r.stdout).toContain('**boundary-deleted**');
    expect(r.stdout).toContain('| `site:acme-prod` | acme.atlassian.net |');
  });
  test('--out writes the approved plan (issue 7); the report stays on stdout', () => {
    const dir = tmpFiles();
    const out = join(dir, 'plan.json');
    const r = run(['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), '-g', SAMPLE, '-f', 'markdown', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### ✅ blastguard: pass/);
    expect(JSON.parse(readFileSync(out, 'utf8')).kind).toBe('blastguard-approved-plan');
  });
});

describe('plan: what would this delete?', () => {
  test('a product: the tree, the detached pages and the cross-site connection', () => {
    const r = run(['plan', 'product:acme-prod/jira-software', '--graph', SAMPLE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('What would be deleted');
    expect(r.stdout).toMatch(/├─ project:acme-prod\/WEB \(Web Storefront\) \[project\]\s+IN_PRODUCT/);
    expect(r.stdout).toContain('Detached');
    expect(r.stdout).toMatch(/cross-boundary/);
  });
  test('deleting a site is a violation by default and allowed with --allow-boundary-deletion', () => {
    const site = 'site:acme-sandbox';
    const a = JSON.parse(run(['plan', site, '-g', SAMPLE, '-f', 'json']).stdout) as PlanResult;
    expect(a.violations.map((v) => v.rule)).toContain('boundary-deleted');
    const b = JSON.parse(run(['plan', site, '-g', SAMPLE, '-f', 'json', '--allow-boundary-deletion']).stdout) as PlanResult;
    expect(b.violations.map((v) => v.rule)).not.toContain('boundary-deleted');
  });
  test('an unknown ID is a violation that names it (exit 1), not a crash', () => {
    const r = run(['plan', 'site:does-not-exist', '-g', SAMPLE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('"site:does-not-exist" is not in the graph');
  });
  test('a gzipped snapshot loads the same', () => {
    const dir = tmpFiles({ 'tenant.json.gz': gzipSync(readFileSync(SAMPLE)) });
    const a = run(['plan', 'site:initech', '-g', join(dir, 'tenant.json.gz'), '-f', 'json']).stdout;
    expect(a).toBe(run(['plan', 'site:initech', '-g', SAMPLE, '-f', 'json']).stdout);
  });
  test('JSON output is valid against schemas/plan-result.schema.json, with order and summary', () => {
    const r = JSON.parse(run(['plan', 'site:initech', '-g', SAMPLE, '-f', 'json']).stdout) as PlanResult;
    expect(validateResult(r)).toBe(true);
    expect(r.order.delete.flat().sort()).toEqual(r.deleted.map((d) => d.id).sort());
    expect(r.summary.deleted).toBe(r.deleted.length);
  });
});

describe('why', () => {
  test('the chain that deletes an entity', () => {
    const r = run(['why', 'attachment:acme-prod/WEB-101/safari-console.log', '--roots', 'site:acme-prod', '-g', SAMPLE]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // Fitted to 80 columns (stdout is a pipe): the first sentence may go on to a second line.
    expect(lines[0]).toBe('attachment:acme-prod/WEB-101/safari-console.log would be deleted, through');
    expect(lines[1]).toBe('  4 relations:'); // a count stays with its noun
    expect(r.stdout).toMatch(/site:acme-prod \(acme\.atlassian\.net\) \[site\]\s+target/);
    expect(r.stdout).toMatch(/└ attachment:acme-prod\/WEB-101\/safari-console\.log [^└]*ATTACHED_TO, cascade/);
  });
  test('a spared user names the owner that keeps it', () => {
    const r = run(['why', 'user:jane.doe@acme.com', '--roots', 'site:acme-prod', '-g', SAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/survives: it is kept by site:acme-eu \(MEMBER_OF,\s+last-owner\)/);
  });
  test('an unaffected entity says so and exits 1; JSON is available', () => {
    const r = run(['why', 'site:globex', '--roots', 'site:acme-prod', '-g', SAMPLE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('is not part of this plan');
    const j = JSON.parse(run(['why', 'site:globex', '--roots', 'site:acme-prod', '-g', SAMPLE, '-f', 'json']).stdout);
    expect(j).toEqual({ id: 'site:globex', status: 'unaffected' });
  });
});

describe('usage', () => {
  test('--help lists the commands; no command is a usage error (exit 2)', () => {
    const h = run(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['plan', 'check', 'why']) expect(h.stdout).toContain(`blastguard ${c}`);
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Name a command');
  });
  test('missing --graph, unknown option, unknown format: exit 2 with one clear line', () => {
    for (const args of [
      ['plan', 'x'],
      ['plan', 'x', '-g', SAMPLE, '--fromat', 'json'],
      ['plan', 'x', '-g', SAMPLE, '-f', 'xml'],
    ]) {
      const r = run(args);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^blastguard: /);
      expect(r.stdout).toBe('');
    }
  });
  test('the output file is not created when the input is bad', () => {
    const dir = tmpFiles({ 'bad.json': '{' });
    const out = join(dir, 'out.md');
    expect(run(['plan', 'x', '-g', join(dir, 'bad.json'), '--out', out]).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('pipes', () => {
  test('a reader that stops early (| head) is not an error', () => {
    const r = spawnSync('bash', ['-c', `"${BIN_PATH}" plan site:acme-prod -g "${SAMPLE}" -f json --full | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(['0', '1']).toContain(r.stdout.trim());
  });
});

describe('reproducible output', () => {
  test('--format graphology is byte-identical from one process to the next', () => {
    const a = run(['plan', 'site:globex', '-g', SAMPLE, '-f', 'graphology']);
    const b = run(['plan', 'site:globex', '-g', SAMPLE, '-f', 'graphology']);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(a.stdout).toBe(b.stdout);
  });
});
