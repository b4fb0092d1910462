// Verification: are the IDs a script is about to delete exactly what was approved — by a plan that is intact
// (digest), signed by a trusted key (with trust keys), made on the current snapshot and re-derivable on it (with
// the graph)? Pure.
import type { KeyObject } from 'node:crypto';
import type { GraphIndex } from '../model/graph.js';
import { digestProblems, type ApprovedPlan } from './approved.js';
import { rederive } from './derive.js';
import { fingerprint as fingerprintOf } from './fingerprint.js';
import { checkSignature } from './signature.js';
import { byCodeUnit } from '../model/compare.js';

/** `roots`: the IDs the script passes to its delete call (default). `deleted`: every entity it deletes itself. */
export type VerifyScope = 'roots' | 'deleted';

export interface VerifyOptions {
  /** Check one wave (1-based) instead of the whole plan. */
  wave?: number;
  scope?: VerifyScope;
  /** The current snapshot's fingerprint; when given, a plan made on another snapshot is stale. */
  fingerprint?: string;
  /**
   * The current snapshot: a plan made on another one is stale, and a plan made on this one is recomputed from its
   * own request and refused as forged unless what it deletes, its verdict and its waves are what that gives.
   */
  graph?: GraphIndex;
  /** Ed25519 public keys: when given, a plan not signed by one of them is refused. */
  trustKeys?: readonly KeyObject[];
}

/**
 * Why verification failed, most serious first: `tampered` (digest broken), `unsigned` / `untrusted-signature`
 * (trust keys given: no signature, or not a valid one by a trusted key), `forged` (recomputed on the snapshot, the
 * plan deletes something else, has another verdict or other waves), `old-format` (a version-1 plan cannot be
 * recomputed), `not-approved` (the plan failed its checks), `no-such-wave`, `stale` (made on another snapshot),
 * `mismatch` (the IDs differ).
 */
export type VerifyReason = 'tampered' | 'unsigned' | 'untrusted-signature' | 'forged' | 'old-format' | 'not-approved' | 'no-such-wave' | 'stale' | 'mismatch';

/** What was checked: the digest always; the signature with trust keys; snapshot and derivation with the graph. */
export type VerifyCheck = 'digest' | 'signature' | 'snapshot' | 'derivation';

export interface VerifyResult {
  ok: boolean;
  /** Every reason that applies, most serious first (empty when ok). */
  reasons: VerifyReason[];
  /** One sentence per reason. */
  problems: string[];
  scope: VerifyScope;
  wave?: number;
  digest: string;
  /** The checked wave's own digest (with `wave`). */
  waveDigest?: string;
  /** null when no current fingerprint was given. */
  fresh: boolean | null;
  /** What was checked, in this order: digest, signature, snapshot, derivation. */
  checked: VerifyCheck[];
  /** Recomputed on the current snapshot: true when it gives the file's outcome; null when not recomputed. */
  derived: boolean | null;
  /** The key the plan says signed it (`sha256:…` of the public key), or null when unsigned. */
  signedBy: string | null;
  /** Signed by a trusted key over its current content; null when no trust keys were given. */
  trusted: boolean | null;
  /** Plainly, what was not checked (present when the plan was not both recomputed and signature-checked). */
  note?: string;
  /** How many IDs were approved (in the scope and wave) and how many were given. */
  expected: number;
  given: number;
  /** Approved but not given, sorted. */
  missing: string[];
  /** Given but not approved, sorted. */
  unexpected: string[];
  /** Given more than once, sorted. */
  duplicates: string[];
}

export function verifyIds(plan: ApprovedPlan, ids: Iterable<string>, opts: VerifyOptions = {}): VerifyResult {
  const scope = opts.scope ?? 'roots';
  const reasons: VerifyReason[] = [];
  const problems: string[] = [];
  const tampered = digestProblems(plan);
  if (tampered.length) {
    reasons.push('tampered');
    problems.push(...tampered);
  }
  const checked: VerifyCheck[] = ['digest'];
  let trusted: boolean | null = null;
  if (opts.trustKeys !== undefined) {
    checked.push('signature');
    const sig = checkSignature(plan, opts.trustKeys);
    trusted = sig.reason === undefined;
    if (sig.reason) {
      reasons.push(sig.reason);
      problems.push(sig.problem!);
    }
  }
  const current = opts.fingerprint ?? (opts.graph ? fingerprintOf(opts.graph) : undefined);
  const fresh: boolean | null = current === undefined ? null : current === plan.snapshot.fingerprint;
  let derived: boolean | null = null;
  if (current !== undefined) checked.push('snapshot');
  // Recomputing on another snapshot proves nothing: a stale plan is refused as stale.
  if (opts.graph && fresh) {
    const d = rederive(opts.graph, plan);
    if (!d.derivable) {
      reasons.push('old-format');
      problems.push(
        `the plan is in format version ${plan.version}, which does not record what it was made from, so it cannot be recomputed on the snapshot: make it again with \`blastguard plan|check --out\``,
      );
    } else {
      checked.push('derivation');
      derived = d.differences.length === 0;
      if (!derived) {
        reasons.push('forged');
        problems.push(`the plan is forged: recomputed on this snapshot from its own targets, intent and limits, ${d.differences.join('; ')}`);
      }
    }
  }
  if (plan.verdict !== 'pass') {
    reasons.push('not-approved');
    problems.push(`the plan failed its checks (${plan.violations} violation${plan.violations === 1 ? '' : 's'}): it is not an approved plan`);
  }
  let approved: readonly string[] = scope === 'roots' ? plan.roots : plan.deleted;
  let waveDigest: string | undefined;
  if (opts.wave !== undefined) {
    const w = plan.waves?.find((x) => x.wave === opts.wave);
    if (!w) {
      reasons.push('no-such-wave');
      const n = plan.waves?.length ?? 0;
      problems.push(n ? `the plan has no wave ${opts.wave} (it has waves 1 to ${n})` : `the plan has no waves (make it with --waves)`);
      approved = [];
    } else {
      approved = scope === 'roots' ? w.roots : w.deleted;
      waveDigest = w.digest;
    }
  }
  if (fresh === false) {
    reasons.push('stale');
    problems.push(`the plan is stale: it was made on snapshot ${plan.snapshot.fingerprint}, but the current snapshot is ${current}`);
  }
  const expected = new Set(approved);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unexpected: string[] = [];
  let given = 0;
  for (const id of ids) {
    given++;
    if (seen.has(id)) {
      duplicates.add(id);
      continue;
    }
    seen.add(id);
    if (!expected.has(id)) unexpected.push(id);
  }
  const missing = approved.filter((id) => !seen.has(id));
  if (missing.length || unexpected.length || duplicates.size) {
    reasons.push('mismatch');
    const parts = [];
    if (missing.length) parts.push(`${missing.length} approved ID${missing.length === 1 ? ' is' : 's are'} missing`);
    if (unexpected.length) parts.push(`${unexpected.length} ID${unexpected.length === 1 ? ' is' : 's are'} not approved`);
    if (duplicates.size) parts.push(`${duplicates.size} ID${duplicates.size === 1 ? ' is' : 's are'} listed more than once`);
    problems.push(`the IDs do not match the approved ${opts.wave !== undefined ? `wave ${opts.wave}` : 'plan'}: ${parts.join(', ')}`);
  }
  return {
    ok: reasons.length === 0,
    reasons,
    problems,
    scope,
    ...(opts.wave !== undefined ? { wave: opts.wave } : {}),
    digest: plan.digest,
    ...(waveDigest !== undefined ? { waveDigest } : {}),
    fresh,
    checked,
    derived,
    signedBy: plan.signature?.key ?? null,
    trusted,
    ...noteOf(checked, fresh),
    expected: expected.size,
    given,
    missing: missing.sort(byCodeUnit),
    unexpected: unexpected.sort(byCodeUnit),
    duplicates: [...duplicates].sort(byCodeUnit),
  };
}

function noteOf(checked: readonly VerifyCheck[], fresh: boolean | null): { note?: string } {
  const derivation = checked.includes('derivation');
  const signature = checked.includes('signature');
  if (derivation && signature) return {};
  const done = ['the digest'];
  if (signature) done.push('the signature');
  if (fresh !== null) done.push('the snapshot fingerprint');
  if (derivation) done.push('the recomputed plan');
  const what = done.length === 1 ? 'only the digest was checked' : `${done.slice(0, -1).join(', ')} and ${done[done.length - 1]} were checked`;
  const missing: string[] = [];
  if (!derivation) {
    missing.push(
      fresh === null
        ? 'the plan was not recomputed on the current snapshot (give the snapshot)'
        : fresh
          ? 'the plan could not be recomputed'
          : 'the plan was not recomputed, since it was made on another snapshot',
    );
  }
  if (!signature) missing.push('no signature was checked (give the trusted public keys)');
  return { note: `${what}: ${missing.join(', and ')}` };
}

function sample(ids: readonly string[], max = 5): string {
  const shown = ids.slice(0, max).map((id) => JSON.stringify(id));
  return ids.length > max ? `${shown.join(', ')}, … ${ids.length - max} more` : shown.join(', ');
}

/** Thrown by guard(): the IDs a script is about to delete are not what was approved. Names what differs. */
export class PlanMismatchError extends Error {
  /** Every reason that applies, most serious first. */
  readonly reasons: VerifyReason[];
  /** Approved but not given. */
  readonly missing: string[];
  /** Given but not approved. */
  readonly unexpected: string[];
  /** Given more than once. */
  readonly duplicates: string[];
  /** The full verification. */
  readonly result: VerifyResult;
  constructor(result: VerifyResult) {
    const details: string[] = [];
    if (result.unexpected.length) details.push(`not approved: ${sample(result.unexpected)}`);
    if (result.missing.length) details.push(`missing: ${sample(result.missing)}`);
    if (result.duplicates.length) details.push(`listed more than once: ${sample(result.duplicates)}`);
    super(`refusing to delete: ${result.problems.join('; ')}${details.length ? ` (${details.join('; ')})` : ''}`);
    this.name = 'PlanMismatchError';
    this.reasons = result.reasons;
    this.missing = result.missing;
    this.unexpected = result.unexpected;
    this.duplicates = result.duplicates;
    this.result = result;
  }
}

/** verifyIds, but throws PlanMismatchError unless the IDs are exactly the approved ones. */
export function guardIds(plan: ApprovedPlan, ids: Iterable<string>, opts: VerifyOptions = {}): VerifyResult {
  if (typeof ids === 'string') throw new TypeError('guard(plan, ids): ids must be a list of IDs, not one string');
  const r = verifyIds(plan, ids, opts);
  if (!r.ok) throw new PlanMismatchError(r);
  return r;
}
