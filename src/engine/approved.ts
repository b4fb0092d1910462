// Approved plans: what a reviewed deletion may delete, bound to the snapshot it was computed on by a digest.
// The shape is documented by schemas/approved-plan.schema.json. Pure.
//
// `digest` = sha256 over the canonical JSON (keys sorted, no whitespace) of every other field of the plan: the
// snapshot fingerprint, the sorted roots, the sorted deleted IDs, mode, verdict, summary and the waves (each with
// its own digest). Each wave's digest = sha256 over the canonical JSON of { fingerprint, wave without its digest }.
// A digest is a checksum that binds the parts together, not a signature: anyone can recompute it, so the plan
// file itself must be reviewed and kept where the review happened (e.g. committed in the pull request).
import type { DeletionMode } from '../model/types.js';
import type { GraphIndex } from '../store/compact.js';
import { canonicalJson, fingerprint, sha256 } from './fingerprint.js';
import type { PlanResult } from './result.js';
import type { WaveDraft } from './waves.js';

export const PLAN_KIND = 'blastguard-approved-plan';
export const PLAN_VERSION = 1;

export interface ApprovedWave extends WaveDraft {
  digest: string;
}

export interface ApprovedPlan {
  kind: typeof PLAN_KIND;
  version: typeof PLAN_VERSION;
  snapshot: { fingerprint: string; entities: number; relations: number };
  /** What the plan was made from, e.g. the manifest path (informational, but covered by the digest). */
  source?: string;
  mode: DeletionMode;
  verdict: 'pass' | 'fail';
  violations: number;
  /** Sorted. */
  roots: string[];
  /** Sorted. */
  deleted: string[];
  summary: { deleted: number; byType: Record<string, number>; sites: number };
  waves?: ApprovedWave[];
  digest: string;
}

export interface ApproveOptions {
  mode?: DeletionMode;
  source?: string;
  waves?: WaveDraft[];
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Counts keyed by type names, which are user data: a prototype-free map, so `__proto__` is counted like any type. */
function sortedCounts(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const k of Object.keys(counts).sort(byCodeUnit)) out[k] = counts[k];
  return out;
}

export function waveDigest(fp: string, wave: Omit<ApprovedWave, 'digest'> | ApprovedWave): string {
  const { digest: _ignored, ...rest } = wave as ApprovedWave;
  return sha256(canonicalJson({ fingerprint: fp, wave: rest }));
}

export function planDigest(p: Omit<ApprovedPlan, 'digest'> | ApprovedPlan): string {
  const { digest: _ignored, ...rest } = p as ApprovedPlan;
  return sha256(canonicalJson(rest));
}

/** Builds the approved-plan record of `result` (a plan computed on `g`). */
export function approve(g: GraphIndex, result: PlanResult, opts: ApproveOptions = {}): ApprovedPlan {
  const fp = fingerprint(g);
  const body: Omit<ApprovedPlan, 'digest'> = {
    kind: PLAN_KIND,
    version: PLAN_VERSION,
    snapshot: { fingerprint: fp, entities: g.size, relations: g.relationCount },
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    mode: opts.mode ?? 'soft',
    verdict: result.verdict,
    violations: result.violations.length,
    roots: [...result.roots].sort(byCodeUnit),
    deleted: result.deleted.map((d) => d.id).sort(byCodeUnit),
    summary: { deleted: result.summary.deleted, byType: sortedCounts(result.summary.byType), sites: result.summary.sites.length },
  };
  if (opts.waves) {
    body.waves = opts.waves.map((w) => {
      const wave = { ...w, byType: sortedCounts(w.byType) };
      return { ...wave, digest: waveDigest(fp, wave) };
    });
  }
  return { ...body, digest: planDigest(body) };
}

/** What is wrong with a plan's digests: empty when the plan is intact. */
export function digestProblems(p: ApprovedPlan): string[] {
  const problems: string[] = [];
  for (const w of p.waves ?? []) {
    if (waveDigest(p.snapshot.fingerprint, w) !== w.digest) problems.push(`wave ${w.wave} does not match its digest: it was edited after the plan was made`);
  }
  if (planDigest(p) !== p.digest) problems.push('the plan does not match its digest: it was edited after it was made');
  return problems;
}
