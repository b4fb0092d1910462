// What an audit rule is: its metadata (name, help, place in reports) and its check over the whole graph, which
// appends findings. The registry (index.ts) lists them and derives AUDIT_RULES and the help text.
import { createHash } from 'node:crypto';
import type { GraphIndex } from '../../model/graph.js';
import type { AuditFinding, FindingEntity, RelationRef } from '../audit.js';
import type { TypeIndex } from '../select.js';
import type { AuditRule } from './index.js';
import type { SiteIndex } from '../sites.js';

/** The graph as the audit rules read it, with what the blast-radius pass found. */
export interface AuditContext {
  readonly g: GraphIndex;
  readonly sites: SiteIndex;
  /** Entities grouped by type code. */
  readonly types: TypeIndex;
  /** Per relation-type code: 1 for cascade and last-owner. */
  readonly own: Uint8Array;
  /** Entities of several sites (not sites) that some single site's deletion deletes → those sites, in audit order. */
  readonly sharedBy: ReadonlyMap<number, readonly number[]>;
  /** `id (name)`. */
  label(ix: number): string;
  /** Labels of sites, comma-separated. */
  siteList(list: ArrayLike<number>): string;
  /** An entity as findings list it (with its site IDs). */
  entity(ix: number): FindingEntity;
  /** The relation at position `e` of `from`'s outgoing relations. */
  relation(from: number, e: number): RelationRef;
}

export interface AuditRuleModule<N extends string = string> {
  readonly name: N;
  /** What the findings of this rule are, in one line (reports, `--fail-on` help). */
  readonly help: string;
  /** Place in the findings and in reports: ascending (unique; gaps leave room). */
  readonly order: number;
  /** Appends the rule's findings to `out`, in the order they are reported. */
  check(ctx: AuditContext, out: AuditFinding[]): void;
}

/** Declares an audit rule (keeps its name as a literal type, so AuditRule is the union of the registry's names). */
export function auditRule<const N extends string>(rule: AuditRuleModule<N>): AuditRuleModule<N> {
  return rule;
}

/** Stable key for a baseline: the rule and the IDs the finding is about, hashed. */
export function fingerprint(rule: AuditRule, parts: readonly string[]): string {
  return `${rule}:${createHash('sha256')
    .update(JSON.stringify([rule, ...parts]))
    .digest('hex')
    .slice(0, 16)}`;
}

/** A finding, its fingerprint made from `parts`. */
export function finding(
  rule: AuditRule,
  parts: readonly string[],
  subject: string,
  message: string,
  entities: FindingEntity[],
  relations: RelationRef[],
): AuditFinding {
  return { rule, fingerprint: fingerprint(rule, parts), subject, message, entities, relations };
}
