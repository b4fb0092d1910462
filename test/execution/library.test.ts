// The library: loadGraph, plan, check, approve, verify and guard with its typed PlanMismatchError; and the sample
// maintenance script that imports them from 'blastguard' (the package itself) and calls guard before it deletes.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import {
  approve,
  buildSnapshot,
  check,
  guard,
  InputError,
  keyId,
  loadGraph,
  loadKey,
  loadPlan,
  plan,
  PlanMismatchError,
  sign,
  verify,
  type ApprovedPlan,
  type CompactGraph,
} from '../../src/api.js';
import { canonicalJson, sha256 } from '../../src/engine/fingerprint.js';
import { CLEANUP, LEGACY_INSTALLS, ROOT, run, runNode, TENANT, tmp, write } from './helpers.js';

let graph: CompactGraph;
let approved: ApprovedPlan;

beforeAll(async () => {
  graph = await loadGraph(TENANT);
  approved = approve(graph, check(graph, CLEANUP), { source: 'test', waves: '1,rest', manifest: CLEANUP });
});

/** What an attacker does to a plan object: edit it, then recompute the digest (wave digests unchanged here). */
function forged(p: ApprovedPlan, edit: (p: ApprovedPlan) => void): ApprovedPlan {
  const copy: ApprovedPlan = JSON.parse(JSON.stringify(p));
  edit(copy);
  delete copy.signature;
  const { digest: _d, ...rest } = copy;
  copy.digest = sha256(canonicalJson(rest));
  return copy;
}

function reasonsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlanMismatchError) return err.reasons;
    throw err;
  }
  return [];
}

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

describe('guard({ graph }) recomputes the plan', () => {
  test('a plan object with a site added and its digest recomputed: refused as forged with the graph', () => {
    const bad = forged(approved, (p) => {
      p.roots = [...p.roots, 'site:globex'].sort();
    });
    const list = [...LEGACY_INSTALLS, 'site:globex'];
    expect(verify(bad, list).ok).toBe(true); // digest only: nothing to see
    expect(verify(bad, list).note).toMatch(/^only the digest was checked/);
    const r = verify(bad, list, { graph });
    expect(r.reasons).toEqual(['forged']);
    expect(r.derived).toBe(false);
    expect(() => guard(bad, list, { graph })).toThrow(/^refusing to delete: the plan is forged: recomputed on this snapshot/);
  });

  test('a fingerprint instead of the graph checks freshness but cannot recompute', () => {
    const r = verify(approved, LEGACY_INSTALLS, { fingerprint: approved.snapshot.fingerprint });
    expect(r).toMatchObject({ ok: true, fresh: true, derived: null, checked: ['digest', 'snapshot'] });
  });

  test('a version-1 plan object: digest only without the graph, refused (old-format) with it', () => {
    const v1 = forged(approved, (p) => {
      (p as { version: number }).version = 1;
      delete p.request;
      delete p.waves;
    });
    expect(guard(v1, LEGACY_INSTALLS).ok).toBe(true);
    expect(reasonsOf(() => guard(v1, LEGACY_INSTALLS, { graph }))).toEqual(['old-format']);
  });

  test('approve() refuses to record a request the result does not follow from', () => {
    // The incident manifest's result, approved as if it were a plain plan of its roots with no options: the
    // default intent gives other violations, so this plan would later be refused as forged.
    const incident = check(graph, CLEANUP.replace('legacy-app-cleanup', 'incident-replay'));
    expect(() => approve(graph, incident)).toThrow(/^approve\(\): the result is not what these plan options give on this graph/);
    expect(approve(graph, incident, { manifest: CLEANUP.replace('legacy-app-cleanup', 'incident-replay') }).verdict).toBe('fail');
    // plan() with options: pass them.
    const sites = plan(graph, ['site:acme-sandbox'], { intent: { allowBoundaryDeletion: true } });
    expect(() => approve(graph, sites)).toThrow(/not what these plan options give/);
    const ok = approve(graph, sites, { planOptions: { intent: { allowBoundaryDeletion: true } } });
    expect(guard(ok, ['site:acme-sandbox'], { graph }).derived).toBe(true);
  });
});

describe('signed plans in the library', () => {
  const ci = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const pem = (k: typeof ci.publicKey, type: 'spki' | 'pkcs8') => k.export({ type, format: 'pem' }) as string;

  test('approve({ signKey }) signs; guard({ trustKeys }) accepts KeyObjects and PEM text', () => {
    const signed = approve(graph, check(graph, CLEANUP), { manifest: CLEANUP, signKey: ci.privateKey });
    expect(signed.signature?.key).toBe(keyId(ci.publicKey));
    expect(signed.digest).toBe(approve(graph, check(graph, CLEANUP), { manifest: CLEANUP }).digest);
    expect(guard(signed, LEGACY_INSTALLS, { graph, trustKeys: [ci.publicKey] })).toMatchObject({ ok: true, trusted: true, derived: true });
    expect(guard(signed, LEGACY_INSTALLS, { trustKeys: [pem(other.publicKey, 'spki'), pem(ci.publicKey, 'spki')] }).trusted).toBe(true);
    expect(sign(approved, pem(ci.privateKey, 'pkcs8')).signature?.key).toBe(keyId(ci.publicKey));
  });

  test('refused: unsigned, signed by another key, edited after signing', () => {
    const trustKeys = [ci.publicKey];
    expect(reasonsOf(() => guard(approved, LEGACY_INSTALLS, { trustKeys }))).toEqual(['unsigned']);
    const byOther = sign(approved, other.privateKey);
    expect(reasonsOf(() => guard(byOther, LEGACY_INSTALLS, { trustKeys }))).toEqual(['untrusted-signature']);
    const signed = sign(approved, ci.privateKey);
    const edited = { ...forged(signed, (p) => (p.roots = [...p.roots, 'site:globex'].sort())), signature: signed.signature };
    expect(reasonsOf(() => guard(edited, [...LEGACY_INSTALLS, 'site:globex'], { trustKeys }))).toEqual(['untrusted-signature']);
    expect(reasonsOf(() => guard(edited, [...LEGACY_INSTALLS, 'site:globex'], { trustKeys, graph }))).toEqual(['untrusted-signature', 'forged']);
  });

  test('a private key as a trusted key, or a bad PEM, is an InputError; loadKey reads PEM files', () => {
    expect(() => guard(approved, LEGACY_INSTALLS, { trustKeys: [ci.privateKey] })).toThrow(InputError);
    expect(() => guard(approved, LEGACY_INSTALLS, { trustKeys: [pem(ci.privateKey, 'pkcs8')] })).toThrow(/trustKeys\[0\]: is a private key/);
    expect(() => guard(approved, LEGACY_INSTALLS, { trustKeys: ['not a key'] })).toThrow(/trustKeys\[0\]: not a PEM public key/);
    const dir = tmp();
    writeFileSync(join(dir, 'ci.pub.pem'), pem(ci.publicKey, 'spki'));
    writeFileSync(join(dir, 'ci.pem'), pem(ci.privateKey, 'pkcs8'));
    expect(keyId(loadKey(join(dir, 'ci.pub.pem'), 'public'))).toBe(keyId(ci.publicKey));
    expect(keyId(loadKey(join(dir, 'ci.pem'), 'private'))).toBe(keyId(ci.publicKey));
    expect(() => loadKey(join(dir, 'ci.pem'), 'public')).toThrow(/is a private key/);
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
    const deleted = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('  DRY RUN delete '))
      .map((l) => l.slice('  DRY RUN delete '.length));
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

  test('with --trust-key it runs a plan CI signed, and refuses an unsigned one before deleting anything', () => {
    const keys = join(dir, 'keys');
    expect(run(['keygen', '--out', keys]).code).toBe(0);
    const signed = join(dir, 'signed.json');
    expect(run(['check', CLEANUP, '--graph', TENANT, '--out', signed, '--waves', '1,2,rest', '--sign-key', join(keys, 'blastguard-plan.pem')]).code).toBe(0);
    const pub = join(keys, 'blastguard-plan.pub.pem');
    const ok = runNode([script, '--plan', signed, '--graph', TENANT, '--trust-key', pub]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n').filter((l) => l.startsWith('  DRY RUN delete '))).toHaveLength(5);
    const refused = runNode([script, '--plan', planFile, '--graph', TENANT, '--trust-key', pub]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).not.toContain('DRY RUN delete');
    expect(refused.stderr).toContain('the plan is not signed');
    expect(refused.stderr).toContain('(reasons: unsigned) — nothing was deleted');
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
