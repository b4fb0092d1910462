// The architecture review of a whole graph: the blast radius of every site and of the entities of every type, and
// the structural risks that make deletions dangerous, each with the relations that cause it. Pure: graph in,
// result out. Every closure runs through the engine's closure(), which reuses the graph's stamped workspace.
import type { OnDelete } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import { radii } from './audit-radius.js';
import { AUDIT_RULES, checkAuditRules, type AuditRule } from './audit-rules/index.js';
import type { EntityRef } from './result.js';
import { typeIndex } from './select.js';
import { siteIndex } from './sites.js';
import { entityLabel, entityRef, siteIdLists } from './toolkit/labels.js';
import { ownershipMask } from './toolkit/masks.js';

// The rules (one module each, in audit-rules/) and their names, help and order come from the audit-rule registry.
export { AUDIT_RULES, AUDIT_RULE_HELP, type AuditRule } from './audit-rules/index.js';
export { fingerprint } from './audit-rules/types.js';

export interface RelationRef {
  from: string;
  type: string;
  to: string;
  onDelete: OnDelete;
}

export interface FindingEntity extends EntityRef {
  sites: string[];
}

export interface AuditFinding {
  rule: AuditRule;
  /** Stable key for a baseline: the rule and the IDs the finding is about, hashed. */
  fingerprint: string;
  /** What the finding is about, in one line (a relation, an entity, a cycle). */
  subject: string;
  message: string;
  entities: FindingEntity[];
  /** The relations that cause the finding. */
  relations: RelationRef[];
  /** Set by gate(): the baseline accepts this finding. */
  accepted?: boolean;
}

export interface SiteRadius extends EntityRef {
  /** Entities that deleting this site alone deletes (itself included). */
  deleted: number;
  byType: Record<string, number>;
  /** Other sites that lose entities. */
  otherSites: number;
  /** Other boundary entities deleted with it. */
  sitesDeleted: number;
  /** Deleted entities that also belong to another site. */
  shared: number;
}

export interface TypeRadius {
  type: string;
  entities: number;
  /** How many of them were planned as a root (all, unless the type exceeds maxRootsPerType). */
  measured: number;
  largest: EntityRef & { deleted: number; sitesDeleted: number; sitesReached: number };
  median: number;
  p95: number;
  mean: number;
}

export interface AuditGate {
  failOn: AuditRule[];
  /** Findings of a failOn rule that the baseline does not accept. */
  failing: number;
  /** Findings the baseline accepts. */
  accepted: number;
  /** Baseline fingerprints that match no finding any more (fixed, or changed): they can be removed. */
  stale: string[];
  verdict: 'pass' | 'fail';
}

export interface AuditResult {
  boundary: string;
  graph: {
    entities: number;
    relations: number;
    sites: number;
    /** Entities that belong to no site. */
    global: number;
    byType: Record<string, number>;
    relationTypes: { type: string; onDelete: OnDelete; count: number }[];
  };
  /** Every boundary entity, largest blast radius first. */
  sites: SiteRadius[];
  /** One row per entity type, largest single-root blast radius first. */
  types: TypeRadius[];
  findings: AuditFinding[];
  counts: Record<AuditRule, number>;
  gate?: AuditGate;
}

export interface AuditOptions {
  /** Plan at most this many entities of one type as roots (spread over the type); the rest are not measured. */
  maxRootsPerType?: number;
  /**
   * Stop planning the entities of one type once their closures have visited this many entities in all (default
   * 50 million: seconds). Bounds the audit of pathological graphs (a cascade chain a million long), where planning
   * every entity would be quadratic; the rows of such types say how many roots were measured.
   */
  maxWorkPerType?: number;
}

/** The audit plus what the diff needs: which entities a single site's deletion can delete. */
export interface AuditDetail {
  result: AuditResult;
  /** 1 for every entity that some single site's deletion deletes (the deleted site itself excluded). */
  deletableBySite: Uint8Array;
}

export function audit(g: GraphIndex, options: AuditOptions = {}): AuditResult {
  return auditDetail(g, options).result;
}

export function auditDetail(g: GraphIndex, options: AuditOptions = {}): AuditDetail {
  const n = g.size;
  const sites = siteIndex(g);
  const types = typeIndex(g);
  const sem = g.relationSemantics;
  const { nodes: outNodes, types: outTypes } = g.outgoing;
  const r = radii(g, sites, types, options);

  // Structural risks: each rule's findings, in rule order.
  const label = (ix: number) => entityLabel(g, ix);
  const siteIds = siteIdLists(g, sites);
  const findings = checkAuditRules({
    g,
    sites,
    types,
    own: ownershipMask(g),
    sharedBy: r.sharedBy,
    label,
    siteList: (list) => Array.from(list, (s) => label(s)).join(', '),
    entity: (ix) => ({ ...entityRef(g, ix), sites: siteIds(ix) }),
    relation: (from, e) => ({ from: g.idOf(from), type: g.relationTypeNames[outTypes[e]], to: g.idOf(outNodes[e]), onDelete: sem[outTypes[e]] }),
  });
  const counts = Object.fromEntries(AUDIT_RULES.map((rule) => [rule, 0])) as Record<AuditRule, number>;
  for (const f of findings) counts[f.rule]++;

  const byType: Record<string, number> = Object.create(null);
  for (let t = 0; t < g.typeNames.length; t++) if (types.offsets[t + 1] > types.offsets[t]) byType[g.typeNames[t]] = types.offsets[t + 1] - types.offsets[t];
  const relCounts = new Float64Array(g.relationTypeNames.length);
  for (let e = 0; e < outTypes.length; e++) relCounts[outTypes[e]]++;
  const boundaryCode = sites.boundaryCode;
  const result: AuditResult = {
    boundary: g.schema.boundary,
    graph: {
      entities: n,
      relations: g.relationCount,
      sites: boundaryCode >= 0 ? types.offsets[boundaryCode + 1] - types.offsets[boundaryCode] : 0,
      global: sites.globalCount,
      byType,
      relationTypes: g.relationTypeNames.map((type, i) => ({ type, onDelete: sem[i], count: relCounts[i] })),
    },
    sites: r.sites,
    types: r.types,
    findings,
    counts,
  };
  return { result, deletableBySite: r.deletableBySite };
}

/**
 * Applies `--fail-on` and a baseline: marks accepted findings, counts the failing ones (a failOn rule, not
 * accepted) and lists the baseline entries that match nothing.
 */
export function gate(result: AuditResult, failOn: readonly AuditRule[], accepted: ReadonlySet<string> = new Set()): AuditResult {
  const rules = new Set(failOn);
  let failing = 0;
  let acceptedCount = 0;
  const seen = new Set<string>();
  const findings = result.findings.map((f) => {
    const ok = accepted.has(f.fingerprint);
    if (ok) {
      acceptedCount++;
      seen.add(f.fingerprint);
    } else if (rules.has(f.rule)) failing++;
    return ok ? { ...f, accepted: true } : f;
  });
  const stale = [...accepted].filter((fp) => !seen.has(fp)).sort();
  return {
    ...result,
    findings,
    gate: { failOn: [...rules], failing, accepted: acceptedCount, stale, verdict: failing ? 'fail' : 'pass' },
  };
}
