// The registry of plan and manifest rules: one module per rule, listed once here. RULES (their order in results and
// reports), RuleName, the help text of the reporters and the manifest anchors of the CI formats all derive from it;
// a test holds the README's Violations table and the result schema's rule list against it.
import type { Violation } from '../result.js';
import { boundaryDeleted } from './boundary-deleted.js';
import { cascadeDepth } from './cascade-depth.js';
import { crossBoundary } from './cross-boundary.js';
import { deleteType } from './delete-type.js';
import { maxDeleted } from './max-deleted.js';
import { maxSites } from './max-sites.js';
import { permanentScope } from './permanent-scope.js';
import { permanentUnrehearsed } from './permanent-unrehearsed.js';
import { protectedRule } from './protected.js';
import { restricted } from './restricted.js';
import { rootBoundary } from './root-boundary.js';
import { rootType } from './root-type.js';
import { targetMismatch } from './target-mismatch.js';
import { unknownTarget } from './unknown-target.js';
import type { Anchor, ManifestContext, ManifestRule, PlanContext, PlanRule, Rule } from './types.js';

/** Every rule, in any order (each module's `order` places it). */
const MODULES = [
  unknownTarget,
  targetMismatch,
  rootType,
  deleteType,
  crossBoundary,
  rootBoundary,
  boundaryDeleted,
  protectedRule,
  restricted,
  cascadeDepth,
  permanentScope,
  permanentUnrehearsed,
  maxDeleted,
  maxSites,
] as const;

export type RuleName = (typeof MODULES)[number]['name'];

/** The rules by `order`: the order of result.violations and of every report. */
export const RULE_MODULES: readonly Rule<RuleName>[] = [...MODULES].sort((a, b) => a.order - b.order);

/** The rule names, in report order. */
export const RULES: readonly RuleName[] = RULE_MODULES.map((r) => r.name);

/** What the violations of each rule are, in one line (for reports). */
export const RULE_HELP = Object.fromEntries(RULE_MODULES.map((r) => [r.name, r.help])) as Readonly<Record<RuleName, string>>;

/** Where each rule's violations go in a manifest (see Anchor). */
export const RULE_ANCHORS = Object.fromEntries(RULE_MODULES.map((r) => [r.name, r.anchor])) as Readonly<Record<RuleName, Anchor>>;

const PLAN_RULES = RULE_MODULES.filter((r): r is PlanRule<RuleName> => r.stage === 'plan');
const MANIFEST_RULES = RULE_MODULES.filter((r): r is ManifestRule<RuleName> => r.stage === 'manifest');
const RANK = new Map<string, number>(RULES.map((r, i) => [r, i]));

/** The violations of every plan rule, in report order (each rule's in the order it reports them). */
export function checkPlanRules(ctx: Omit<PlanContext, 'found'>): Violation[] {
  const out: Violation[] = [];
  const full: PlanContext = { ...ctx, found: out };
  for (const rule of PLAN_RULES) rule.check(full, out);
  return out;
}

/** The violations of every manifest rule, in report order. */
export function checkManifestRules(ctx: ManifestContext): Violation[] {
  const out: Violation[] = [];
  for (const rule of MANIFEST_RULES) rule.check(ctx, out);
  return out;
}

/** Orders violations by rule, in report order (a stable sort keeps each rule's own order). */
export function byRule(a: Violation, b: Violation): number {
  return RANK.get(a.rule)! - RANK.get(b.rule)!;
}
