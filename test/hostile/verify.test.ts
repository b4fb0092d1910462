// Forged approved plans, done as an attacker would: edit plan.json, recompute every digest with the documented
// recipe (sha256 over canonical JSON: schemas/approved-plan.schema.json), and hand it to `verify`. With the snapshot
// (--graph) a plan whose outcome does not follow from its own request is refused as forged; with the CI's public
// key (--trust-key) anything CI did not sign, or that changed after it signed, is refused. Hostile key files are
// input errors of one line. Every case runs the real CLI under the measuring harness.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFESTS, run, SAMPLE, workdir } from '../helpers/cli.js';
import { problemLines, runHostile, treeState, type HostileRun } from '../helpers/hostile-run.js';

const INSTALLS = [
  'app-install:acme-prod/jira-software/legacy-asset-mgmt',
  'app-install:acme-prod/jsm/legacy-asset-mgmt',
  'app-install:acme-sandbox/jira-software/legacy-asset-mgmt',
  'app-install:globex/jsm/legacy-asset-mgmt',
  'app-install:initech/jira-software/legacy-asset-mgmt',
];

// The attacker's recipe, written from the documentation alone (not imported from the sources).
function canon(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(',')}}`;
}
const sha = (text: string) => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

/** Recomputes every wave digest and the plan digest, as the schema documents them. */
function redigest(p: any): any {
  for (const w of p.waves ?? []) {
    const { digest: _w, ...wave } = w;
    w.digest = sha(canon({ fingerprint: p.snapshot.fingerprint, wave }));
  }
  const { digest: _d, signature: _s, ...rest } = p;
  p.digest = sha(canon(rest));
  return p;
}

let dir = '';
let ciPub = '';
const plans: Record<string, string> = {};
let before = '';

/** Edits a copy of a plan, recomputes its digests, keeps the CI signature unless told to drop it. */
function forge(from: string, name: string, edit: (p: any) => void, keepSignature = true): string {
  const p = JSON.parse(readFileSync(plans[from], 'utf8'));
  edit(p);
  redigest(p);
  if (!keepSignature) delete p.signature;
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(p, null, 2));
  return file;
}

function ids(name: string, list: string[]): string {
  const file = join(dir, `${name}.ids`);
  writeFileSync(file, list.join('\n') + '\n');
  return file;
}

interface Verified {
  r: HostileRun;
  v: any;
}

/** `verify --format json` under the harness; every verify ends within seconds and stays small. */
function verify(plan: string, idFile: string, extra: string[] = []): Verified {
  const r = runHostile(['verify', '--plan', plan, '--ids', idFile, '--format', 'json', ...extra], { timeout: 30 });
  expect(r.timedOut).toBe(false);
  expect(r.seconds).toBeLessThan(20);
  expect(r.peakMiB).toBeLessThan(512);
  return { r, v: r.code === 0 || r.code === 1 ? JSON.parse(r.stdout) : undefined };
}

const graph = ['--graph', SAMPLE];
const trust = () => ['--trust-key', ciPub];

beforeAll(() => {
  dir = workdir();
  // CI's key pair (blastguard keygen is tested in test/execution/verify.test.ts) and the attacker's own.
  const ci = generateKeyPairSync('ed25519');
  const ciPriv = join(dir, 'ci.pem');
  writeFileSync(ciPriv, ci.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  ciPub = join(dir, 'ci.pub.pem');
  writeFileSync(ciPub, ci.publicKey.export({ type: 'spki', format: 'pem' }));
  const evil = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, 'evil.pem'), evil.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'evil.pub.pem'), evil.publicKey.export({ type: 'spki', format: 'pem' }));
  // The plans CI made and signed from reviewed manifests.
  const limits = join(dir, 'tight-limits.yaml');
  writeFileSync(
    limits,
    `targets:\n${INSTALLS.map((t) => `  - ${t}\n`).join('')}intent:\n  rootTypes: [app-install]\n  deleteTypes: [app-install, app-data]\nlimits:\n  maxDeleted: 5\n`,
  );
  const selectOnly = join(dir, 'select-only.yaml');
  writeFileSync(
    selectOnly,
    'select:\n  - type: app-install\n    where: { app: legacy-asset-mgmt }\nintent:\n  rootTypes: [app-install]\n  deleteTypes: [app-install, app-data]\n',
  );
  const make: [string, string, string[], number][] = [
    ['cleanup', join(MANIFESTS, 'legacy-app-cleanup.yaml'), ['--waves', '1,2,rest'], 0],
    ['incident', join(MANIFESTS, 'incident-replay.yaml'), [], 1],
    ['limits', limits, [], 1],
    ['select', selectOnly, [], 0],
  ];
  for (const [name, manifest, extra, code] of make) {
    plans[name] = join(dir, `${name}.plan.json`);
    const r = run(['check', manifest, ...graph, '--out', plans[name], '--sign-key', ciPriv, '--format', 'json', ...extra]);
    expect(r.code).toBe(code);
  }
  before = treeState(dir);
});

describe('the recipe the attacker uses is the documented one', () => {
  test('recomputing the digests of an untouched plan gives its own digests', () => {
    const p = JSON.parse(readFileSync(plans.cleanup, 'utf8'));
    const again = redigest(JSON.parse(readFileSync(plans.cleanup, 'utf8')));
    expect(again.digest).toBe(p.digest);
    expect(again.waves.map((w: any) => w.digest)).toEqual(p.waves.map((w: any) => w.digest));
  });

  test('a legitimate signed plan verifies: with and without the graph and the key (exit 0)', () => {
    const list = ids('legit', INSTALLS);
    expect(verify(plans.cleanup, list, [...graph, ...trust()]).v).toMatchObject({ ok: true, derived: true, trusted: true });
    expect(verify(plans.cleanup, list).v).toMatchObject({ ok: true, checked: ['digest'] });
    const w1 = JSON.parse(readFileSync(plans.cleanup, 'utf8')).waves[0].roots;
    expect(verify(plans.cleanup, ids('legit-w1', w1), [...graph, ...trust(), '--wave', '1']).r.code).toBe(0);
  });
});

describe('forged plans are refused with the snapshot (forged) and by the signature', () => {
  test('a site slipped into roots: digest-only verify cannot see it and says so; --graph and --trust-key refuse it', () => {
    const forged = forge('cleanup', 'site-in-roots', (p) => {
      p.roots = [...p.roots, 'site:acme-prod'].sort();
    });
    const list = ids('site-in-roots', [...INSTALLS, 'site:acme-prod']);
    const blind = verify(forged, list);
    expect(blind.r.code).toBe(0); // what the issue reported: the digest alone proves nothing
    expect(blind.v.note).toMatch(/^only the digest was checked/);
    const g = verify(forged, list, graph);
    expect(g.r.code).toBe(1);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toMatch(
      /^the plan is forged: recomputed on this snapshot from its own targets, intent and limits, it deletes \d+ entities the file does not list .*its verdict is fail \(\d+ violations: .*boundary-deleted/,
    );
    const k = verify(forged, list, trust());
    expect(k.r.code).toBe(1);
    expect(k.v.reasons).toEqual(['untrusted-signature']);
    expect(k.v.problems[0]).toMatch(/^the signature by trusted key sha256:[0-9a-f]{64} does not match the plan: the plan was changed after it was signed$/);
    // The signature dropped instead: unsigned.
    const stripped = forge('cleanup', 'site-in-roots-unsigned', (p) => (p.roots = [...p.roots, 'site:acme-prod'].sort()), false);
    expect(verify(stripped, list, trust()).v.reasons).toEqual(['unsigned']);
  });

  test('a site slipped into deleted (scope deleted), summary adjusted to match', () => {
    const forged = forge('cleanup', 'site-in-deleted', (p) => {
      p.deleted = [...p.deleted, 'site:globex'].sort();
      p.summary.deleted += 1;
      p.summary.byType.site = 1;
    });
    const list = ids('site-in-deleted', JSON.parse(readFileSync(forged, 'utf8')).deleted);
    const g = verify(forged, list, [...graph, '--scope', 'deleted']);
    expect(g.r.code).toBe(1);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toContain('the file lists 1 entity it does not delete ("site:globex")');
    expect(verify(forged, list, ['--scope', 'deleted', ...trust()]).v.reasons).toEqual(['untrusted-signature']);
  });

  test('a failing plan (the 2022 incident) with its verdict flipped to pass', () => {
    const forged = forge('incident', 'verdict-flipped', (p) => {
      p.verdict = 'pass';
      p.violations = 0;
    });
    const list = ids('verdict-flipped', JSON.parse(readFileSync(forged, 'utf8')).roots);
    const g = verify(forged, list, graph);
    expect(g.r.code).toBe(1);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toMatch(/its verdict is fail \(104 violations: .*\), not pass$/);
    expect(verify(forged, list, trust()).v.reasons).toEqual(['untrusted-signature']);
  });

  test('waves altered: a target moved from the last wave into wave 1, wave digests recomputed', () => {
    let moved = '';
    const forged = forge('cleanup', 'waves-altered', (p) => {
      moved = p.waves[2].roots.shift();
      p.waves[0].roots = [...p.waves[0].roots, moved].sort();
    });
    const w1 = JSON.parse(readFileSync(forged, 'utf8')).waves[0].roots;
    expect(w1).toContain(moved);
    const list = ids('waves-altered', w1);
    const g = verify(forged, list, [...graph, '--wave', '1']);
    expect(g.r.code).toBe(1);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toMatch(/its waves 1, 3 differ$/);
    expect(verify(forged, list, [...trust(), '--wave', '1']).v.reasons).toEqual(['untrusted-signature']);
  });

  test('intent loosened (boundary deletion allowed, no type limits) and the verdict flipped: still forged', () => {
    const forged = forge('incident', 'intent-loosened', (p) => {
      p.request.intent = { allowBoundaryDeletion: true };
      p.request.limits = {};
      p.verdict = 'pass';
      p.violations = 0;
    });
    const list = ids('intent-loosened', JSON.parse(readFileSync(forged, 'utf8')).roots);
    const g = verify(forged, list, graph);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toMatch(/its verdict is fail \(3 violations: cross-boundary, protected ×2\), not pass$/);
    expect(verify(forged, list, trust()).v.reasons).toEqual(['untrusted-signature']);
  });

  test('limits loosened until the plan passes: consistent, so only the signature can refuse it', () => {
    const forged = forge('limits', 'limits-loosened', (p) => {
      p.request.limits = { maxDeleted: 1000 };
      p.verdict = 'pass';
      p.violations = 0;
    });
    const list = ids('limits-loosened', INSTALLS);
    // Recomputed from its (loosened) request, the plan is what it says: re-derivation proves consistency, not review.
    const g = verify(forged, list, graph);
    expect(g.v).toMatchObject({ ok: true, derived: true, note: expect.stringMatching(/no signature was checked/) });
    const k = verify(forged, list, [...graph, ...trust()]);
    expect(k.r.code).toBe(1);
    expect(k.v.reasons).toEqual(['untrusted-signature']);
    // Loosened without flipping the verdict: the plan still fails, and stays refused.
    const half = forge('limits', 'limits-only', (p) => (p.request.limits = { maxDeleted: 1000 }));
    expect(verify(half, list, graph).v.reasons).toEqual(['forged', 'not-approved']);
  });

  test('mode switched from soft to permanent: a permanent deletion needs a rehearsal, so it does not recompute', () => {
    const forged = forge('cleanup', 'mode-permanent', (p) => (p.mode = 'permanent'));
    const g = verify(forged, ids('mode-permanent', INSTALLS), graph);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toMatch(/its verdict is fail \(1 violation: permanent-unrehearsed\), not pass/);
  });

  test('a selected plan with a site added to its roots, and with roots switched to listed', () => {
    const list = ids('select-site', [...INSTALLS, 'site:initech']);
    const added = forge('select', 'select-site', (p) => (p.roots = [...p.roots, 'site:initech'].sort()));
    const g = verify(added, list, graph);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toContain('its targets are not what its request gives: 1 of its targets is not picked by its select ("site:initech")');
    const listed = forge('select', 'select-listed', (p) => {
      p.request.roots = 'listed';
      p.roots = [...p.roots, 'site:initech'].sort();
    });
    expect(verify(listed, list, graph).v.reasons).toEqual(['forged']);
  });

  test('a waves spec edited to one that cannot be made', () => {
    const forged = forge('cleanup', 'bad-spec', (p) => (p.request.waves = '0,rest'));
    const g = verify(forged, ids('bad-spec', INSTALLS), graph);
    expect(g.v.reasons).toEqual(['forged']);
    expect(g.v.problems[0]).toMatch(/its waves cannot be made on this snapshot \(--waves "0,rest": "0" is not a positive whole number/);
  });
});

describe('plans that did not come from CI', () => {
  let own = '';
  const sandbox = ['site:acme-sandbox'];

  beforeAll(() => {
    // The attacker's own copy of blastguard makes a perfectly consistent plan that deletes a whole site.
    own = join(dir, 'own.plan.json');
    expect(run(['plan', ...sandbox, '--allow-boundary-deletion', ...graph, '--out', own, '--format', 'json']).code).toBe(0);
  });

  test('consistent, so --graph alone accepts it; --trust-key refuses it unsigned, or signed by the attacker', () => {
    const list = ids('own', sandbox);
    expect(verify(own, list, graph).v).toMatchObject({ ok: true, derived: true });
    expect(verify(own, list, [...graph, ...trust()]).v.reasons).toEqual(['unsigned']);
    const signedByEvil = join(dir, 'own-evil.plan.json');
    expect(
      run(['plan', ...sandbox, '--allow-boundary-deletion', ...graph, '--out', signedByEvil, '--sign-key', join(dir, 'evil.pem'), '--format', 'json']).code,
    ).toBe(0);
    const e = verify(signedByEvil, list, [...graph, ...trust()]);
    expect(e.r.code).toBe(1);
    expect(e.v.reasons).toEqual(['untrusted-signature']);
    expect(e.v.problems[0]).toMatch(/^the plan is signed by key sha256:[0-9a-f]{64}, which is not a trusted key$/);
  });

  test('the attacker names the CI key in their signature, or transplants a CI signature from another plan', () => {
    const ciPlan = JSON.parse(readFileSync(plans.cleanup, 'utf8'));
    const list = ids('claimed', sandbox);
    const claimed = join(dir, 'claimed.plan.json');
    run(['plan', ...sandbox, '--allow-boundary-deletion', ...graph, '--out', claimed, '--sign-key', join(dir, 'evil.pem'), '--format', 'json']);
    const p = JSON.parse(readFileSync(claimed, 'utf8'));
    p.signature.key = ciPlan.signature.key;
    writeFileSync(claimed, JSON.stringify(p));
    expect(verify(claimed, list, trust()).v.reasons).toEqual(['untrusted-signature']);
    p.signature = ciPlan.signature;
    const transplanted = join(dir, 'transplanted.plan.json');
    writeFileSync(transplanted, JSON.stringify(p));
    const t = verify(transplanted, list, [...graph, ...trust()]);
    expect(t.v.reasons).toEqual(['untrusted-signature']);
    expect(t.v.problems[0]).toMatch(/does not match the plan: the plan was changed after it was signed$/);
  });
});

describe('hostile plan fields and key files are input errors: one line, exit 2, nothing printed of a key', () => {
  const oneLine = (r: HostileRun, pattern: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.timedOut).toBe(false);
    expect(r.seconds).toBeLessThan(15);
    const lines = problemLines(r);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/BEGIN|MC4CAQAw|MCowBQYDK2Vw|\n\s+at /);
  };
  const list = () => ids('inputs', INSTALLS);

  test('a signature that is not 64 bytes of base64; a selected plan with no select', () => {
    const badSig = forge('cleanup', 'bad-sig', (p) => (p.signature = { ...p.signature, value: 'AAAA' }));
    oneLine(runHostile(['verify', '--plan', badSig, '--ids', list(), ...trust()]), /bad-sig\.json:\d+: signature\.value: must match pattern/);
    const noSelect = forge('select', 'no-select', (p) => delete p.request.select);
    oneLine(runHostile(['verify', '--plan', noSelect, '--ids', list(), ...graph]), /no-select\.json:\d+: request\.select: missing required field "select"$/);
  });

  test('the private key, or a link to it, given as the trusted key', () => {
    oneLine(
      runHostile(['verify', '--plan', plans.cleanup, '--ids', list(), '--trust-key', join(dir, 'ci.pem')]),
      /ci\.pem: is a private key: give the public key/,
    );
    const link = join(dir, 'looks-public.pub.pem');
    symlinkSync(join(dir, 'ci.pem'), link);
    oneLine(runHostile(['verify', '--plan', plans.cleanup, '--ids', list(), '--trust-key', link]), /looks-public\.pub\.pem: is a private key/);
    const both = join(dir, 'both.pem');
    writeFileSync(both, readFileSync(ciPub, 'utf8') + readFileSync(join(dir, 'ci.pem'), 'utf8'));
    oneLine(runHostile(['verify', '--plan', plans.cleanup, '--ids', list(), '--trust-key', both]), /both\.pem: is a private key/);
  });

  test('/dev/zero, a folder, and a large file as key files: refused at once, never read whole', () => {
    oneLine(
      runHostile(['verify', '--plan', plans.cleanup, '--ids', list(), '--trust-key', '/dev/zero']),
      /^blastguard: \/dev\/zero: not a regular file: give a PEM key file$/,
    );
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    oneLine(runHostile(['verify', '--plan', plans.cleanup, '--ids', list(), '--trust-key', folder]), /a-folder: (not a regular file|is a directory)/);
    const big = join(dir, 'big.pem');
    writeFileSync(big, Buffer.alloc(8 << 20, 0x41));
    const r = runHostile(['verify', '--plan', plans.cleanup, '--ids', list(), '--trust-key', big]);
    oneLine(r, /big\.pem: is 8388608 bytes, not a PEM key file \(at most 65536 bytes\)$/);
    expect(r.peakMiB).toBeLessThan(256);
    oneLine(
      runHostile(['check', join(MANIFESTS, 'legacy-app-cleanup.yaml'), ...graph, '--out', join(dir, 'never.json'), '--sign-key', '/dev/zero']),
      /\/dev\/zero: not a regular file/,
    );
  });

  test('verify changed nothing: every plan, key and ID list is as the cases wrote it', () => {
    // The tree was fingerprinted after setup; only the files the cases themselves created may differ.
    const now = treeState(dir).split('\n');
    const then = new Set(before.split('\n'));
    for (const line of before.split('\n')) expect(now).toContain(line);
    expect(now.filter((l) => !then.has(l)).every((l) => /\.(json|ids|pem) /.test(l) || / link$/.test(l))).toBe(true);
    expect(now.some((l) => l.startsWith('never.json'))).toBe(false);
  });
});
