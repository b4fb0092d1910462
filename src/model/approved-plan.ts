// The approved-plan file and the inputs around it, as data: what `plan|check --out` writes, what verify, guard
// and a permanent manifest's rehearsal read (schemas/approved-plan.schema.json documents the same shape).
import type { DeletionMode, Intent, Limits, Selector } from './types.js';

export const SIGNATURE_ALGORITHM = 'ed25519';

export interface PlanSignature {
  algorithm: typeof SIGNATURE_ALGORITHM;
  /** Which key signed: sha256 of the public key (SubjectPublicKeyInfo, DER). Names the key, never reveals it. */
  key: string;
  /** The signature, base64. */
  value: string;
}

export interface WaveDraft {
  /** 1-based. */
  wave: number;
  /** The count from the spec ("10", "rest"). */
  spec: string;
  /** Site IDs of the units in this wave; a unit of targets without site is listed as "". */
  sites: string[];
  /** Sorted. */
  roots: string[];
  /** Sorted: what this wave deletes that earlier waves did not. */
  deleted: string[];
  byType: Record<string, number>;
}

export const PLAN_KIND = 'blastguard-approved-plan';
/** 2: plans carry `request` (what they were made from) and may carry a `signature`. 1: neither. */
export const PLAN_VERSION = 2;

export interface ApprovedWave extends WaveDraft {
  digest: string;
}

/**
 * Everything the plan was computed from besides the snapshot, the roots and the mode: enough to compute it again.
 * `roots: 'listed'` means the plan's roots are the IDs it was handed (plan IDs…, or a manifest's `targets`);
 * `'selected'` means they are what `select` picks on the snapshot (a manifest with `select` and no `targets`).
 */
export interface PlanRequest {
  roots: 'listed' | 'selected';
  /** The manifest's `select` (with `targets` too, each ID must be picked by it: rule target-mismatch). */
  select?: Selector[];
  intent: Intent;
  limits: Limits;
  /** The --waves spec, normalised (`1,10,rest`). */
  waves?: string;
  /**
   * A permanent manifest's rehearsal, as judged when the plan was made (the file lives beside the manifest, not
   * beside the plan): its path, its digest when it could be read, and what was wrong with it (empty when it was an
   * intact, passing soft-mode plan of the same targets). Re-derivation takes this judgement as recorded.
   */
  rehearsal?: { file: string; digest?: string; problems: string[] };
}

export interface ApprovedPlan {
  kind: typeof PLAN_KIND;
  /** 1 for plans of earlier versions (no request, never signed): they can be checked by digest only. */
  version: 1 | 2;
  snapshot: { fingerprint: string; entities: number; relations: number };
  /** What the plan was made from, e.g. the manifest path (informational, but covered by the digest). */
  source?: string;
  /** Absent only in version 1. */
  request?: PlanRequest;
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
  /** Ed25519 over the canonical JSON of every other field (the digest included). */
  signature?: PlanSignature;
}

/** The rehearsal named by a permanent manifest, as read by the caller: the plan, or why it could not be read. */
export interface RehearsalInput {
  /** As written in the manifest. */
  file: string;
  plan?: ApprovedPlan;
  /** Why the file is not a usable plan (not found, not JSON, not a plan…). */
  problem?: string;
}
