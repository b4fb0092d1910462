// approvePlan: a plan result → the approved-plan record that `plan|check --out` writes and the library's approve()
// returns: split into canary waves when asked, stamped with what it was computed from, and signed when a key is given
// (with what a command needs for that: the wave list parsed, the signing key read, a key's name).
import type { KeyObject } from 'node:crypto';
import { approve, type ApprovedPlan, type ApproveOptions, type PlanRequest } from '../engine/approved.js';
import type { PlanOptions } from '../engine/plan.js';
import type { PlanResult } from '../engine/result.js';
import { signPlan } from '../engine/signature.js';
import { splitWaves, type WaveCount } from '../engine/waves.js';
import { UsageError } from '../model/errors.js';
export { keyId } from '../engine/signature.js';
export { parseWaveSpec } from '../engine/waves.js';
export { readPrivateKeyFile } from '../ingest/keys.js';
export type { ApprovedPlan, PlanRequest, WaveCount };
import type { GraphIndex } from '../model/graph.js';
import type { DeletionMode } from '../model/types.js';

export interface ApprovePlanOptions {
  mode?: DeletionMode;
  /** What the plan was made from (e.g. the manifest path); recorded in the plan. */
  source?: string;
  /** What the plan was computed from, recorded so that verify can compute it again (the waves are added to it). */
  request: PlanRequest;
  /** Canary waves (counts of sites); their split follows the plan's intent and limits. */
  waves?: readonly WaveCount[];
  planOptions?: PlanOptions;
  signKey?: KeyObject;
  /** The whole graph's fingerprint and counts when `graph` is only a part of it (the Neo4j push-down). */
  snapshot?: ApproveOptions['snapshot'];
}

export function approvePlan(graph: GraphIndex, result: PlanResult, options: ApprovePlanOptions): ApprovedPlan {
  const spec = options.waves;
  let waves;
  try {
    waves = spec ? splitWaves(graph, result, spec, options.planOptions) : undefined;
  } catch (err) {
    // A wave list that does not fit these targets is the caller's to fix, not a bug.
    throw new UsageError((err as Error).message);
  }
  const request: PlanRequest = spec ? { ...options.request, waves: spec.join(',') } : options.request;
  const approved = approve(graph, result, { mode: options.mode, source: options.source, waves, request, snapshot: options.snapshot });
  return options.signKey ? signPlan(approved, options.signKey) : approved;
}
