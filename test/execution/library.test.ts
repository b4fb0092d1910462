// The library: loadGraph, plan, check, approve, verify and guard with its typed PlanMismatchError; and the sample
// maintenance script that imports them from 'blastguard' (the package itself) and calls guard before it deletes.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { approve, buildSnapshot, check, guard, loadGraph, loadPlan, plan, PlanMismatchError, verify, type ApprovedPlan, type CompactGraph } from '../../src/api.js';
import { CLEANUP, LEGACY_INSTALLS, ROOT, run, runNode, TENANT, tmp, write } from './helpers.js';

let graph: CompactGraph;
let approved: ApprovedPlan;

beforeAll(async () => {
  graph = await loadGraph(TENANT);
  approved = approve(graph, check(graph, CLEANUP), { source: 'test', waves: '1,rest' });
});

describe('guard', () => {
  test('returns quietly for exactly the approved targets, in any order', () => {
    const r = guard(approved, [...LEGACY_INSTALLS].reverse(), { graph });
    expect(r.ok).toBe(true);
    expect(r.fresh).toBe(true);
  });

  test('throws PlanMismatchError that names what differs', () => {
    let caught: unknown;
    try {
      guard(approved, [...LEGACY_INSTALLS.slice(1), 'site:acme-prod'], { graph });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanMismatchError);
    expect(caught).toBeInstanceOf(Error);
    const e = caught as PlanMismatchError;
    expect(e.name).toBe('PlanMismatchError');
    expect(e.reasons).toEqual(['mismatch']);
    expect(e.unexpected).toEqual(['site:acme-prod']);
    expect(e.missing).toEqual([LEGACY_INSTALLS[0]]);
    expect(e.message).toBe(
      `refusing to delete: the IDs do not match the approved plan: 1 approved ID is missing, 1 ID is not approved (not approved: "site:acme-prod"; missing: "${LEGACY_INSTALLS[0]}")`,
    );
  });

  test('refuses a plan made on another snapshot (stale), given the current graph', () => {
    // The plan was approved yesterday; since then one page was added to the tenant.
    const snap = JSON.parse(require_('fs').readFileSync(TENANT, 'utf8'));
    snap.entities.push({ id: 'page:acme-prod/ENG/new', type: 'page' });
    const yesterday = buildSnapshot(snap, 'yesterday.json');
    const old = approve(yesterday, check(yesterday, CLEANUP));
    expect(old.roots).toEqual(approved.roots);
    let caught: unknown;
    try {
      guard(old, LEGACY_INSTALLS, { graph });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanMismatchError);
    expect((caught as PlanMismatchError).reasons).toEqual(['stale']);
    expect((caught as PlanMismatchError).message).toMatch(/^refusing to delete: the plan is stale: it was made on snapshot sha256:/);
    // Without the graph, staleness cannot be seen.
    expect(guard(old, LEGACY_INSTALLS).fresh).toBeNull();
  });

  test('refuses an edited plan object', () => {
    const edited: ApprovedPlan = { ...approved, roots: [...approved.roots, 'site:globex'] };
    expect(() => guard(edited, [...LEGACY_INSTALLS, 'site:globex'])).toThrow(/the plan does not match its digest/);
  });

  test('guards one wave', () => {
    const w1 = approved.waves![0].roots;
    expect(guard(approved, w1, { wave: 1 }).ok).toBe(true);
    expect(() => guard(approved, LEGACY_INSTALLS, { wave: 1 })).toThrow(PlanMismatchError);
  });

  test('a single string is not a list of IDs', () => {
    expect(() => guard(approved, LEGACY_INSTALLS[0] as unknown as string[])).toThrow(TypeError);
  });

  test('verify never throws on a mismatch; a malformed plan object is an InputError', () => {
    expect(verify(approved, ['site:acme-prod']).ok).toBe(false);
    expect(() => verify({ kind: 'nope' } as unknown as ApprovedPlan, [])).toThrow(/not an approved plan/);
  });
});

describe('the library and the CLI agree', () => {
  test('a plan written by the CLI loads, and the library approves the same targets with the same digest', () => {
    const dir = tmp();
    const out = join(dir, 'p.json');
    expect(run(['check', CLEANUP, '--graph', TENANT, '--out', out, '--waves', '1,rest']).code).toBe(0);
    const fromCli = loadPlan(out);
    const fromLib = approve(graph, check(graph, CLEANUP), { source: CLEANUP, waves: '1,rest', manifest: CLEANUP });
    expect(fromLib).toEqual(fromCli);
    expect(guard(out, LEGACY_INSTALLS, { graph }).ok).toBe(true);
  });
});

describe('samples/maintenance/remove-legacy-app.mjs', () => {
  const dir = tmp();
  const planFile = join(dir, 'plan.json');
  const script = join(ROOT, 'samples', 'maintenance', 'remove-legacy-app.mjs');

  beforeAll(() => {
    expect(run(['check', CLEANUP, '--graph', TENANT, '--out', planFile, '--waves', '1,2,rest']).code).toBe(0);
  });

  test('deletes (dry run) exactly the approved installs, wave by wave', () => {
    const r = runNode([script, '--plan', planFile, '--graph', TENANT]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const deleted = r.stdout.split('\n').filter((l) => l.startsWith('  DRY RUN delete ')).map((l) => l.slice('  DRY RUN delete '.length));
    expect([...deleted].sort()).toEqual(LEGACY_INSTALLS);
    expect(r.stdout.indexOf('wave 1:')).toBeLessThan(r.stdout.indexOf('wave 2:'));
    expect(r.stdout).toContain('wave 1: would delete 1 app install(s) (dry run)\n  DRY RUN delete app-install:acme-sandbox/jira-software/legacy-asset-mgmt');
  });

  test('handed site IDs (the 2022 incident), it refuses before deleting anything and names them', () => {
    const ids = write(dir, 'sites.txt', 'site:acme-prod\nsite:acme-sandbox\nsite:globex\nsite:initech\n');
    const r = runNode([script, '--plan', planFile, '--graph', TENANT, '--ids', ids]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('DRY RUN delete');
    expect(r.stderr).toContain('refusing to delete');
    expect(r.stderr).toContain('never approved: site:acme-prod, site:acme-sandbox, site:globex, site:initech');
    expect(r.stderr).toContain('(reasons: mismatch) — nothing was deleted');
  });

  test('run against a changed snapshot, it refuses: the plan is stale', () => {
    const snap = JSON.parse(require_('fs').readFileSync(TENANT, 'utf8'));
    snap.entities.push({ id: 'app-install:new/jira/legacy-asset-mgmt', type: 'app-install', attributes: { app: 'legacy-asset-mgmt' } });
    const changed = write(dir, 'changed.json', JSON.stringify(snap));
    const r = runNode([script, '--plan', planFile, '--graph', changed]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the plan is stale');
    expect(r.stderr).toContain('never approved: app-install:new/jira/legacy-asset-mgmt');
    expect(r.stdout).not.toContain('DRY RUN delete');
  });
});

import { createRequire } from 'node:module';
const require_ = createRequire(import.meta.url);
