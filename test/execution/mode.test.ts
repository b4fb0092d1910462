// mode: soft | permanent — permanent-scope and permanent-unrehearsed, through `check` as a reviewer runs it.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEGACY_INSTALLS, readJson, run, TENANT, tmp, write } from './helpers.js';

const dir = tmp();
let graph: string;
const intent = 'intent:\n  rootTypes: [app-install]\n  deleteTypes: [app-install, app-data]\n';
const targets = (ids: string[]) => `targets:\n${ids.map((t) => `  - ${t}\n`).join('')}`;

function violations(manifest: string): string[] {
  const r = run(['check', manifest, '--graph', graph, '--format', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout).violations.map((v: any) => `${v.rule}|${v.entity ?? ''}|${v.message}`);
}

beforeAll(() => {
  // The tenant with declared types, `user` marked critical.
  const snap = JSON.parse(readFileSync(TENANT, 'utf8'));
  const types: Record<string, object> = {};
  for (const e of snap.entities) types[e.type] = e.type === 'user' ? { critical: true } : {};
  snap.schema.types = types;
  graph = join(dir, 'typed-tenant.json');
  writeFileSync(graph, JSON.stringify(snap));
  // The rehearsal: the soft-mode plan of the legacy cleanup, approved.
  const soft = write(dir, 'soft.yaml', `${targets(LEGACY_INSTALLS)}${intent}`);
  const r = run(['check', soft, '--graph', graph, '--out', join(dir, 'soft-plan.json')]);
  expect(r.code).toBe(0);
});

describe('permanent-unrehearsed', () => {
  test('a permanent manifest that follows its intact soft-mode plan passes', () => {
    const m = write(dir, 'permanent.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: soft-plan.json\n${intent}`);
    const r = run(['check', m, '--graph', graph]);
    expect(r.stdout).toContain('PASS');
    expect(r.code).toBe(0);
  });

  test('the rehearsal path is relative to the manifest, not to the working directory', () => {
    const r = run(['check', 'permanent.yaml', '--graph', graph], { cwd: dir });
    expect(r.code).toBe(0);
    const elsewhere = run(['check', join(dir, 'permanent.yaml'), '--graph', graph], { cwd: '/' });
    expect(elsewhere.code).toBe(0);
  });

  test('no rehearsal named', () => {
    const m = write(dir, 'no-rehearsal.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\n${intent}`);
    expect(violations(m)).toEqual([
      'permanent-unrehearsed||mode is permanent, but the manifest names no rehearsal: the approved soft-mode plan of the same targets (rehearsal: FILE)',
    ]);
  });

  test('a soft manifest needs no rehearsal', () => {
    const m = write(dir, 'soft-explicit.yaml', `${targets(LEGACY_INSTALLS)}mode: soft\n${intent}`);
    expect(violations(m)).toEqual([]);
  });

  test('the rehearsal file is missing', () => {
    const m = write(dir, 'missing.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: nowhere.json\n${intent}`);
    expect(violations(m)).toEqual(['permanent-unrehearsed||rehearsal nowhere.json is not a usable approved plan: file not found']);
  });

  test('the rehearsal is not a plan, and its content is never echoed', () => {
    write(dir, 'secret.txt', 'password=hunter2-very-secret\n');
    write(dir, 'other.json', '{"kind": "something else", "token": "hunter3-secret"}');
    const m1 = write(dir, 'not-json.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: secret.txt\n${intent}`);
    const m2 = write(dir, 'not-plan.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: other.json\n${intent}`);
    const v1 = violations(m1);
    const v2 = violations(m2);
    expect(v1).toEqual(['permanent-unrehearsed||rehearsal secret.txt is not a usable approved plan: not valid JSON']);
    expect(v2[0]).toMatch(/^permanent-unrehearsed\|\|rehearsal other\.json is not a usable approved plan: line 1: not an approved plan/);
    expect(JSON.stringify([v1, v2])).not.toMatch(/hunter/);
  });

  test('a tampered rehearsal (an ID dropped from its deleted list) is caught by its digest', () => {
    const plan = readJson(join(dir, 'soft-plan.json'));
    plan.deleted = plan.deleted.slice(1);
    writeFileSync(join(dir, 'tampered-plan.json'), JSON.stringify(plan, null, 2));
    const m = write(dir, 'tampered.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: tampered-plan.json\n${intent}`);
    expect(violations(m)).toEqual(['permanent-unrehearsed||rehearsal tampered-plan.json: the plan does not match its digest: it was edited after it was made']);
  });

  test('a rehearsal of other targets', () => {
    const four = write(dir, 'four.yaml', `${targets(LEGACY_INSTALLS.slice(1))}${intent}`);
    expect(run(['check', four, '--graph', graph, '--out', join(dir, 'four-plan.json')]).code).toBe(0);
    const m = write(dir, 'other-targets.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: four-plan.json\n${intent}`);
    expect(violations(m)).toEqual([
      `permanent-unrehearsed||rehearsal four-plan.json was made for other targets: 1 target is not in it ("${LEGACY_INSTALLS[0]}")`,
    ]);
  });

  test('a permanent plan is not a rehearsal', () => {
    const p = run(['check', join(dir, 'permanent.yaml'), '--graph', graph, '--out', join(dir, 'permanent-plan.json')]);
    expect(p.code).toBe(0);
    expect(readJson(join(dir, 'permanent-plan.json')).mode).toBe('permanent');
    const m = write(dir, 'perm-rehearsal.yaml', `${targets(LEGACY_INSTALLS)}mode: permanent\nrehearsal: permanent-plan.json\n${intent}`);
    expect(violations(m)).toEqual([
      'permanent-unrehearsed||rehearsal permanent-plan.json is a permanent plan; a permanent deletion must follow a soft-mode plan',
    ]);
  });

  test('a failed plan is not a rehearsal', () => {
    const bad = write(dir, 'bad-soft.yaml', `${targets(['site:acme-sandbox'])}${intent}`);
    const p = run(['check', bad, '--graph', graph, '--out', join(dir, 'failed-plan.json')]);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('but it FAILED its checks');
    const m = write(
      dir,
      'failed-rehearsal.yaml',
      `${targets(['site:acme-sandbox'])}mode: permanent\nrehearsal: failed-plan.json\nintent:\n  deleteTypes: [site, product, project, issue, space, page, attachment, app-install, app-data, user, api-token, connection]\n`,
    );
    const v = violations(m).filter((x) => x.startsWith('permanent-unrehearsed'));
    expect(v).toEqual([
      expect.stringMatching(/^permanent-unrehearsed\|\|rehearsal failed-plan\.json failed its checks \(\d+ violations\); it was never approved$/),
    ]);
  });
});

describe('permanent-scope', () => {
  test('a permanent deletion that reaches a site and users (critical) fails for each of them', () => {
    const m = write(
      dir,
      'scope.yaml',
      `${targets(['site:acme-sandbox'])}mode: permanent\nintent:\n  deleteTypes: [site, product, project, issue, space, page, attachment, app-install, app-data, user, api-token, connection]\n`,
    );
    const r = run(['check', m, '--graph', graph, '--format', 'json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    const scope = result.violations.filter((v: any) => v.rule === 'permanent-scope');
    const expected = result.deleted
      .filter((d: any) => d.type === 'site' || d.type === 'user')
      .map((d: any) => d.id)
      .sort();
    expect(expected).toContain('site:acme-sandbox');
    expect(expected.length).toBeGreaterThan(1);
    expect(scope.map((v: any) => v.entity).sort()).toEqual(expected);
    const site = scope.find((v: any) => v.entity === 'site:acme-sandbox');
    expect(site.message).toBe('this permanent deletion reaches the site site:acme-sandbox (acme-sandbox.atlassian.net); delete it softly instead');
    const user = scope.find((v: any) => v.entity.startsWith('user:'));
    expect(user.message).toMatch(/reaches an entity of the critical type user user:/);
    expect(user.chain[0].id).toBe('site:acme-sandbox');
  });

  test('the same deletion in soft mode has no permanent-scope', () => {
    const m = write(
      dir,
      'scope-soft.yaml',
      `${targets(['site:acme-sandbox'])}intent:\n  deleteTypes: [site, product, project, issue, space, page, attachment, app-install, app-data, user, api-token, connection]\n`,
    );
    const r = run(['check', m, '--graph', graph, '--format', 'json']);
    expect(JSON.parse(r.stdout).violations.filter((v: any) => v.rule.startsWith('permanent-'))).toEqual([]);
  });

  test('a bad mode value is bad input with its line', () => {
    const m = write(dir, 'bad-mode.yaml', `${targets(LEGACY_INSTALLS)}mode: forever\n`);
    const r = run(['check', m, '--graph', graph]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`blastguard: ${m}:7: mode: must be one of "soft", "permanent"\n`);
  });
});
