// Approved plans: what a reviewed deletion may delete, bound to the snapshot it was computed on by a digest, and
// carrying what it was made from (`request`) so that verify and guard can recompute it. The shape is documented by
// schemas/approved-plan.schema.json. Pure.
//
// `digest` = sha256 over the canonical JSON (keys sorted, no whitespace) of every other field of the plan except
// `signature`: the snapshot fingerprint, the request, the sorted roots, the sorted deleted IDs, mode, verdict,
// summary and the waves (each with its own digest). Each wave's digest = sha256 over the canonical JSON of
// { fingerprint, wave without its digest }. A digest is a checksum that binds the parts together, not a signature:
// anyone can recompute it. What makes a plan trustworthy is re-derivation (derive.ts: recomputed on the snapshot
// from its own request) and a signature by a key only CI holds (signature.ts).
import type { DeletionMode, Manifest } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import { canonicalJson, fingerprint, sha256 } from './fingerprint.js';
import type { PlanResult } from './result.js';
import { PLAN_KIND, PLAN_VERSION, type ApprovedPlan, type ApprovedWave, type PlanRequest, type WaveDraft } from '../model/approved-plan.js';
import { byCodeUnit } from '../model/compare.js';

export { PLAN_KIND, PLAN_VERSION };
export type { ApprovedPlan, ApprovedWave, PlanRequest };

export interface ApproveOptions {
  mode?: DeletionMode;
  source?: string;
  waves?: WaveDraft[];
  /** What the plan was computed from (default: the roots as listed, with no intent or limits). */
  request?: PlanRequest;
  /**
   * The fingerprint and counts of the whole graph, when `g` is only the part of it the plan is made of (a push-down
   * into Neo4j computes them in the database); by default those of `g`.
   */
  snapshot?: { fingerprint: string; entities: number; relations: number };
}

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

/** The plan without its digest and signature: what the digest is computed over. */
export function digestedPart(p: Omit<ApprovedPlan, 'digest'> | ApprovedPlan): Omit<ApprovedPlan, 'digest' | 'signature'> {
  const { digest: _d, signature: _s, ...rest } = p as ApprovedPlan;
  return rest;
}

export function planDigest(p: Omit<ApprovedPlan, 'digest'> | ApprovedPlan): string {
  return sha256(canonicalJson(digestedPart(p)));
}

/** The request of a manifest check: its selection, intent and limits, and the rehearsal as judged in `result`. */
export function manifestRequest(m: Manifest, result: PlanResult, rehearsalDigest?: string): PlanRequest {
  const request: PlanRequest = {
    roots: m.targets !== undefined ? 'listed' : 'selected',
    ...(m.select !== undefined ? { select: m.select } : {}),
    intent: m.intent ?? {},
    limits: m.limits ?? {},
  };
  if (m.mode === 'permanent' && m.rehearsal !== undefined) {
    // Every permanent-unrehearsed violation of a manifest that names its rehearsal comes from judging that file.
    const problems = result.violations.filter((v) => v.rule === 'permanent-unrehearsed').map((v) => v.message);
    request.rehearsal = { file: m.rehearsal, ...(rehearsalDigest !== undefined ? { digest: rehearsalDigest } : {}), problems };
  }
  return request;
}

/** The approved-plan record of `result` (a plan computed on `g`), without its digest. */
export function approvedBody(g: GraphIndex, result: PlanResult, opts: ApproveOptions = {}): Omit<ApprovedPlan, 'digest'> {
  const snapshot = opts.snapshot ?? { fingerprint: fingerprint(g), entities: g.size, relations: g.relationCount };
  const fp = snapshot.fingerprint;
  const request: PlanRequest = opts.request ?? { roots: 'listed', intent: {}, limits: {} };
  const body: Omit<ApprovedPlan, 'digest'> = {
    kind: PLAN_KIND,
    version: PLAN_VERSION,
    snapshot: { fingerprint: fp, entities: snapshot.entities, relations: snapshot.relations },
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    request,
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
  return body;
}

/** Builds the approved-plan record of `result` (a plan computed on `g`). */
export function approve(g: GraphIndex, result: PlanResult, opts: ApproveOptions = {}): ApprovedPlan {
  const body = approvedBody(g, result, opts);
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
