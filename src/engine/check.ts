// Checking a manifest: resolve its targets (literal `targets`, `select`, or both), plan the deletion, and add the
// manifest rules (rules/: target-mismatch, permanent-scope, permanent-unrehearsed). Pure: the rehearsal plan is
// read by the caller and handed in.
import type { Manifest } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import type { RehearsalInput } from '../model/approved-plan.js';

export type { RehearsalInput };
import { plan } from './plan.js';
import type { PlanResult } from './result.js';
import { byRule, checkManifestRules } from './rules/index.js';
import { select, type Selection } from './select.js';
import { resultViolationChains } from './toolkit/chain.js';

export interface ManifestCheckOptions {
  rehearsal?: RehearsalInput;
  /**
   * The rehearsal already judged (re-deriving an approved plan, where the file is not at hand): these are its
   * problems, empty when it was fine. Takes the place of `rehearsal`.
   */
  rehearsalJudged?: readonly string[];
}

export interface ManifestCheck {
  result: PlanResult;
  /** The roots planned: `targets` when given, else the selected IDs (sorted). */
  roots: string[];
  selection?: Selection;
}

export function checkManifest(g: GraphIndex, manifest: Manifest, opts: ManifestCheckOptions = {}): ManifestCheck {
  const selection = manifest.select ? select(g, manifest.select) : undefined;
  const roots = manifest.targets ?? selection?.ids ?? [];
  const result = plan(g, roots, { intent: manifest.intent ?? {}, limits: manifest.limits ?? {} });
  const extra = checkManifestRules({
    g,
    manifest,
    selection,
    rehearsal: opts.rehearsal,
    rehearsalJudged: opts.rehearsalJudged,
    roots,
    result,
    chain: resultViolationChains(result),
  });
  if (extra.length) {
    result.violations = [...result.violations, ...extra].sort(byRule);
    result.verdict = 'fail';
  }
  return { result, roots: result.roots, ...(selection ? { selection } : {}) };
}
