// The shape of a plan: what a deletion takes down, what it leaves changed, and why it may not run.
import type { OnDelete } from '../model/types.js';
import { resultChains } from './toolkit/chain.js';

// The rule names (in report order) and their type come from the rule registry: one module per rule.
export { RULES, type RuleName } from './rules/index.js';
import type { RuleName } from './rules/index.js';

export interface EntityRef {
  id: string;
  type: string;
  name?: string;
}

/** The relation through which an entity was pulled into the deletion, and the deleted entity it points at. */
export interface Via {
  relation: string;
  onDelete: OnDelete;
  principal: string;
}

export interface DeletedEntity extends EntityRef {
  sites: string[];
  /** 0 for roots. */
  depth: number;
  /** null for roots. */
  via: Via | null;
}

export interface DetachedEntity extends EntityRef {
  sites: string[];
  /** The relations that are removed: `relation` from this entity to the deleted entity `to`. */
  links: { relation: string; to: string }[];
}

export interface SparedEntity extends EntityRef {
  sites: string[];
  /** The last-owner relation type. */
  relation: string;
  /** A surviving owner that keeps this entity alive. */
  keptBy: string;
  /** Owners that the plan deletes. */
  deletedOwners: string[];
}

/** One step of a chain: the entity, and the relation by which it points at the previous step (null at the root). */
export interface ChainLink extends EntityRef {
  relation: string | null;
  onDelete?: OnDelete;
}

export interface Violation {
  rule: RuleName;
  message: string;
  /** The entity the violation is about (the blocker, for protected and restricted); null for plan-wide rules. */
  entity: string | null;
  /**
   * From a root to `entity`: the proof. Empty for plan-wide rules and unknown targets. A chain longer than
   * CHAIN_LIMIT links is elided: it holds its first CHAIN_ENDS links and its last ones, and `chainLength` says how
   * long it is (the links left out come after the first CHAIN_ENDS). Thousands of violations under one long cascade
   * chain would otherwise cost violations × depth links (10^10 for a 100,000-long chain). The whole chain of a
   * deleted entity is in `deleted` (each `via` names the previous link): chainFromResult().
   */
  chain: ChainLink[];
  /** Present only when `chain` is elided: the length of the whole chain. */
  chainLength?: number;
}

/** A violation's proof as the rules build it: its chain, elided when long. */
export type ViolationChain = Pick<Violation, 'chain' | 'chainLength'>;

export interface SiteSummary {
  id: string;
  name?: string;
  /** Deleted entities that belong to this site. */
  deleted: number;
  /** Whether the site entity itself is deleted. */
  siteDeleted: boolean;
}

export interface PlanSummary {
  deleted: number;
  byType: Record<string, number>;
  bySite: Record<string, number>;
  /** Deleted entities that belong to no site. */
  global: number;
  detached: number;
  spared: number;
  sites: SiteSummary[];
}

export interface PlanResult {
  verdict: 'pass' | 'fail';
  boundary: string;
  roots: string[];
  deleted: DeletedEntity[];
  detached: DetachedEntity[];
  spared: SparedEntity[];
  violations: Violation[];
  summary: PlanSummary;
  /** Groups of IDs; entities of one group (a cycle) go together. Dependents come before what they depend on. */
  order: { delete: string[][]; restore: string[][] };
  /** Present when the plan was asked for a summary only: then `deleted`, `detached`, `spared` and `order` are empty. */
  detail?: 'summary';
}

/** The chain from a root to `id`, rebuilt from the `via` fields of a result (empty when `id` is not deleted). */
export function chainFromResult(result: PlanResult, id: string): ChainLink[] {
  return resultChains(result)(id);
}
