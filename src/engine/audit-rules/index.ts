// The registry of audit rules: one module per structural risk, listed once here. AUDIT_RULES (their order in
// findings, counts and reports), AuditRule and the help text derive from it; a test holds docs/review.md's table
// and the audit-baseline schema against it.
import type { AuditFinding } from '../audit.js';
import { boundaryDeletable } from './boundary-deletable.js';
import { cascadeCycle } from './cascade-cycle.js';
import { crossBoundaryRelation } from './cross-boundary-relation.js';
import { noSite } from './no-site.js';
import { noneStructure } from './none-structure.js';
import { sharedEntity } from './shared-entity.js';
import type { AuditContext, AuditRuleModule } from './types.js';

/** Every audit rule, in any order (each module's `order` places it). */
const MODULES = [crossBoundaryRelation, sharedEntity, boundaryDeletable, cascadeCycle, noSite, noneStructure] as const;

export type AuditRule = (typeof MODULES)[number]['name'];

/** The audit rules by `order`: the order of findings, counts and reports. */
export const AUDIT_RULE_MODULES: readonly AuditRuleModule<AuditRule>[] = [...MODULES].sort((a, b) => a.order - b.order);

export const AUDIT_RULES: readonly AuditRule[] = AUDIT_RULE_MODULES.map((r) => r.name);

/** What the findings of each rule are, in one line. */
export const AUDIT_RULE_HELP = Object.fromEntries(AUDIT_RULE_MODULES.map((r) => [r.name, r.help])) as Readonly<Record<AuditRule, string>>;

/** The findings of every audit rule, in report order (each rule's in the order it reports them). */
export function checkAuditRules(ctx: AuditContext): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const rule of AUDIT_RULE_MODULES) rule.check(ctx, out);
  return out;
}
