// Verification: are the IDs a script is about to delete exactly what was approved? Pure.
import { digestProblems, type ApprovedPlan } from './approved.js';

/** `roots`: the IDs the script passes to its delete call (default). `deleted`: every entity it deletes itself. */
export type VerifyScope = 'roots' | 'deleted';

export interface VerifyOptions {
  /** Check one wave (1-based) instead of the whole plan. */
  wave?: number;
  scope?: VerifyScope;
  /** The current snapshot's fingerprint; when given, a plan made on another snapshot is stale. */
  fingerprint?: string;
}

/**
 * Why verification failed, most serious first: `tampered` (digest broken), `not-approved` (the plan failed its
 * checks), `no-such-wave`, `stale` (made on another snapshot), `mismatch` (the IDs differ).
 */
export type VerifyReason = 'tampered' | 'not-approved' | 'no-such-wave' | 'stale' | 'mismatch';

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

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function verifyIds(plan: ApprovedPlan, ids: Iterable<string>, opts: VerifyOptions = {}): VerifyResult {
  const scope = opts.scope ?? 'roots';
  const reasons: VerifyReason[] = [];
  const problems: string[] = [];
  const tampered = digestProblems(plan);
  if (tampered.length) {
    reasons.push('tampered');
    problems.push(...tampered);
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
  let fresh: boolean | null = null;
  if (opts.fingerprint !== undefined) {
    fresh = opts.fingerprint === plan.snapshot.fingerprint;
    if (!fresh) {
      reasons.push('stale');
      problems.push(`the plan is stale: it was made on snapshot ${plan.snapshot.fingerprint}, but the current snapshot is ${opts.fingerprint}`);
    }
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
    expected: expected.size,
    given,
    missing: missing.sort(byCodeUnit),
    unexpected: unexpected.sort(byCodeUnit),
    duplicates: [...duplicates].sort(byCodeUnit),
  };
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
