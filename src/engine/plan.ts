// The cascade engine: the plan of a deletion is its closure under the schema's onDelete rules (closure.ts), the
// lists and counts read off it (assemble.ts), the violations of the plan rules (rules/), and the delete order
// (order.ts). Pure: no I/O, and nothing here knows which backend built the graph.
import { UsageError } from '../model/errors.js';
import type { Intent, Limits } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import { assemble } from './assemble.js';
import { nextSearch, planClosure } from './closure.js';
import { deletionOrder } from './order.js';
import type { PlanResult } from './result.js';
import { checkPlanRules } from './rules/index.js';
import { siteIndexOnDemand } from './sites.js';
import { closureChains } from './toolkit/chain.js';
import { entityLabel, entityRef } from './toolkit/labels.js';

export { closure, type Closure } from './closure.js';

export interface PlanOptions {
  intent?: Intent;
  limits?: Limits;
  /**
   * `full` (the default): every deleted, detached and spared entity, and the deletion order. `summary`: the verdict,
   * the violations with their chains, and the counts by type and site, with empty entity lists and order (the
   * result says `detail: 'summary'`): for callers that plan thousands of deletions and keep only their verdicts.
   */
  detail?: 'full' | 'summary';
}

/**
 * A limit is a whole number, 0 or more. NaN would make every comparison false (the limit silently off) and Infinity
 * is no limit at all; the manifest schema refuses both, this refuses them from library callers too.
 */
function checkLimits(limits: Limits): void {
  for (const key of ['maxDeleted', 'maxSites'] as const) {
    const v = limits[key];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) throw new UsageError(`limits.${key} must be a whole number, 0 or more (got ${String(v)})`);
  }
}

/** Computes the plan for deleting `roots` from `g`. */
export function plan(g: GraphIndex, roots: readonly string[], options: PlanOptions = {}): PlanResult {
  const full = options.detail !== 'summary';
  checkLimits(options.limits ?? {});
  const sites = siteIndexOnDemand(g);
  const c = planClosure(g, roots);
  const { ws } = c;
  const lists = assemble(g, sites, c, full);
  const violations = checkPlanRules({
    g,
    sites,
    intent: options.intent ?? {},
    limits: options.limits ?? {},
    unknown: c.unknown,
    deleted: ws.queue.subarray(0, c.count),
    rootCount: c.rootCount,
    sitesReached: lists.summary.sites.length,
    protects: c.cand.protect,
    restricts: c.cand.restrict,
    isDeleted: c.isDeleted,
    principal: ws.principal,
    rootOf: ws.rootOf,
    label: (ix) => entityLabel(g, ix),
    ref: (ix) => entityRef(g, ix),
    chain: closureChains(g, ws.principal, ws.viaRelation),
    scc: ws.scc,
    nextSearch: () => nextSearch(ws),
    reach: ws.reach,
  });
  return {
    verdict: violations.length ? 'fail' : 'pass',
    boundary: g.schema.boundary,
    roots: c.rootIds,
    deleted: lists.deleted,
    detached: lists.detached,
    spared: lists.spared,
    violations,
    summary: lists.summary,
    order: full ? deletionOrder(g, c, lists.idAt) : { delete: [], restore: [] },
    ...(full ? {} : { detail: 'summary' as const }),
  };
}
