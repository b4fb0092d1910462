// Canary waves (plan|check --waves): smallest sites first, each wave with its own summary and digest, and
// `verify --wave N`.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLEANUP, LEGACY_INSTALLS, readJson, run, TENANT, tmp, write } from './helpers.js';

const dir = tmp();
const planFile = join(dir, 'waves.json');
let stdout = '';

beforeAll(() => {
  const r = run(['check', CLEANUP, '--graph', TENANT, '--out', planFile, '--waves', '1,2,rest']);
  expect(r.code).toBe(0);
  stdout = r.stdout;
});

describe('waves of the legacy cleanup', () => {
  test('smallest sites first, by how much each site loses (hand-counted: installs + their app-data)', () => {
    const p = readJson(planFile);
    // acme-sandbox: 1 install + 1 data = 2; globex: 1 + 2 = 3; initech: 1 + 3 = 4; acme-prod: 2 + 3 = 5.
    expect(p.waves.map((w: any) => [w.wave, w.spec, w.sites, w.deleted.length])).toEqual([
      [1, '1', ['site:acme-sandbox'], 2],
      [2, '2', ['site:globex', 'site:initech'], 7],
      [3, 'rest', ['site:acme-prod'], 5],
    ]);
    expect(p.waves[0].roots).toEqual(['app-install:acme-sandbox/jira-software/legacy-asset-mgmt']);
    expect(p.waves[2].roots).toEqual(LEGACY_INSTALLS.slice(0, 2));
    expect(p.waves[1].byType).toEqual({ 'app-data': 5, 'app-install': 2 });
  });

  test('the waves partition the plan: every target and every deletion exactly once', () => {
    const p = readJson(planFile);
    const roots = p.waves.flatMap((w: any) => w.roots);
    const deleted = p.waves.flatMap((w: any) => w.deleted);
    expect([...roots].sort()).toEqual(p.roots);
    expect([...deleted].sort()).toEqual(p.deleted);
    expect(new Set(deleted).size).toBe(deleted.length);
  });

  test('each wave has its own digest, shown in the report', () => {
    const p = readJson(planFile);
    const digests = p.waves.map((w: any) => w.digest);
    expect(new Set(digests).size).toBe(3);
    for (const d of digests) expect(stdout).toContain(`digest ${d}`);
    // The boundary by its type name, counts as "type: n"; fitted to 80 columns (stdout is a pipe).
    expect(stdout.replace(/\s+/g, ' ')).toContain('wave 1 [1]: 1 entity of type site (site:acme-sandbox), 1 target, deletes 2 (app-data: 1, app-install: 1)');
  });

  test('verify --wave N accepts exactly that wave', () => {
    const w1 = write(dir, 'w1.txt', 'app-install:acme-sandbox/jira-software/legacy-asset-mgmt\n');
    expect(run(['verify', '--plan', planFile, '--ids', w1, '--wave', '1', '--graph', TENANT]).code).toBe(0);
    // Wave 1's IDs are not wave 2, and not the whole plan.
    const r2 = run(['verify', '--plan', planFile, '--ids', w1, '--wave', '2', '--format', 'json']);
    expect(r2.code).toBe(1);
    expect(JSON.parse(r2.stdout).unexpected).toEqual(['app-install:acme-sandbox/jira-software/legacy-asset-mgmt']);
    expect(run(['verify', '--plan', planFile, '--ids', w1]).code).toBe(1);
    const r = run(['verify', '--plan', planFile, '--ids', w1, '--wave', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the plan has no wave 4 (it has waves 1 to 3)');
  });

  test('an ID moved from a later wave into wave 1 breaks the digests', () => {
    const p = readJson(planFile);
    const moved = p.waves[2].roots.shift();
    p.waves[0].roots.push(moved);
    const bad = join(dir, 'moved.json');
    writeFileSync(bad, JSON.stringify(p));
    const ids = write(dir, 'w1-plus.txt', [...p.waves[0].roots].join('\n'));
    const r = JSON.parse(run(['verify', '--plan', bad, '--ids', ids, '--wave', '1', '--format', 'json']).stdout);
    expect(r.ok).toBe(false);
    expect(r.reasons).toEqual(['tampered']);
    expect(r.problems).toEqual([
      'wave 1 does not match its digest: it was edited after the plan was made',
      'wave 3 does not match its digest: it was edited after the plan was made',
      'the plan does not match its digest: it was edited after it was made',
    ]);
  });

  test('empty waves are dropped: 1,10,100,rest on four sites makes two waves', () => {
    const out = join(dir, 'big-spec.json');
    expect(run(['check', CLEANUP, '--graph', TENANT, '--out', out, '--waves', '1,10,100,rest']).code).toBe(0);
    expect(readJson(out).waves.map((w: any) => [w.wave, w.spec, w.sites.length])).toEqual([
      [1, '1', 1],
      [2, '10', 3],
    ]);
  });
});

describe('wave semantics', () => {
  test('an entity kept alive by a later wave is deleted in that later wave', () => {
    const out = join(dir, 'sites.json');
    const r = run([
      'plan',
      'site:acme-prod',
      'site:acme-eu',
      '--allow-boundary-deletion',
      '--graph',
      TENANT,
      '--out',
      out,
      '--waves',
      '1,rest',
      '--format',
      'json',
    ]);
    expect(r.stderr).toContain('plan written');
    const p = readJson(out);
    expect(p.waves.map((w: any) => w.sites)).toEqual([['site:acme-eu'], ['site:acme-prod']]);
    // jane.doe is a member of both sites (last-owner): wave 1 leaves her, wave 2 deletes her and her API token.
    expect(p.waves[0].deleted).not.toContain('user:jane.doe@acme.com');
    expect(p.waves[1].deleted).toContain('user:jane.doe@acme.com');
    expect(p.waves[1].deleted).toContain('api-token:jane.doe@acme.com/jira-cli');
    expect(p.waves[0].deleted.length).toBeLessThan(p.waves[1].deleted.length);
  });

  test('--waves works without --out: the report shows the waves', () => {
    const r = run(['check', CLEANUP, '--graph', TENANT, '--waves', '2,rest', '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#### Waves (smallest first, by site entities)');
    expect(r.stdout).toMatch(/\| 1 \| 2: site:acme\\-sandbox, site:globex \| 2 \| 5 — app\\-data: 3, app\\-install: 2 \| `sha256:[0-9a-f]{12}…` \|/);
  });

  test.each([
    ['0,rest', '"0" is not a positive whole number of sites or "rest"'],
    ['rest,1', '"rest" can only be the last wave'],
    ['1,,rest', 'give counts separated by commas'],
    ['1.5,rest', '"1.5" is not a positive whole number'],
  ])('a bad spec %s is a usage error, found before any file is read', (spec, message) => {
    const r = run(['plan', 'x', '--graph', join(dir, 'no-such-snapshot.json'), '--waves', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('a spec that does not cover every site group and has no rest is a usage error', () => {
    const r = run(['check', CLEANUP, '--graph', TENANT, '--waves', '1,2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--waves 1,2 covers 3 of the 4 site groups of these targets; end the list with "rest"');
  });
});
