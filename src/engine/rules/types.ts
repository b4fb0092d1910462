// What a rule is: its metadata (name, help, where it points in a manifest, its place in reports) and its check
// over a small context. Plan rules run inside plan() on the closure; manifest rules run in checkManifest() on the
// plan's result and the manifest. The registry (index.ts) lists them and derives RULES, the help and the anchors.
import type { Intent, Limits, Manifest } from '../../model/types.js';
import type { GraphIndex } from '../../model/graph.js';
import type { RehearsalInput } from '../check.js';
import type { EntityRef, PlanResult, Violation, ViolationChain } from '../result.js';
import type { SccScratch } from '../scc.js';
import type { Selection } from '../select.js';
import type { SiteIndex } from '../sites.js';

/** A field path in a manifest (`['limits', 'maxDeleted']`), as the line locators take it. */
export type ManifestPath = readonly (string | number)[];

/**
 * Where a rule's violations go in a manifest (the CI formats annotate that line): `target`, the line of the target
 * (or select entry) that causes it — the root of the chain, or the entity when there is no chain —; or a field
 * of the manifest itself.
 */
export type Anchor = 'target' | ((manifest: Manifest) => ManifestPath);

interface RuleMeta<N extends string> {
  /** The stable rule name, in results and reports. */
  readonly name: N;
  /** One line saying what the violations of this rule are (human, markdown, HTML, SARIF, JUnit). */
  readonly help: string;
  readonly anchor: Anchor;
  /** Place in result.violations and in reports: rules come by ascending order (unique; gaps leave room). */
  readonly order: number;
}

/**
 * The closure of a plan, as the plan rules read it. The deleted entities come in the order the closure reached
 * them: the roots first (depth 0), then by depth. Valid during the rule's check only (the arrays are views of the
 * graph's workspace).
 */
export interface PlanContext {
  readonly g: GraphIndex;
  readonly sites: SiteIndex;
  readonly intent: Intent;
  readonly limits: Limits;
  /** The targets that are not in the graph, in the order given. */
  readonly unknown: readonly string[];
  /** The deleted entities; the roots are deleted[0 .. rootCount). */
  readonly deleted: Int32Array;
  readonly rootCount: number;
  /** How many sites the deletion reaches (the length of summary.sites). */
  readonly sitesReached: number;
  /** Relations to deleted entities found by the closure, as [from, to, relationCode] triples. */
  readonly protects: readonly number[];
  /** The same for restrict relations whose `from` was not deleted when the closure met them. */
  readonly restricts: readonly number[];
  /** Violations reported so far: rules run in report order, so a rule sees those of every rule before it. */
  readonly found: readonly Violation[];
  isDeleted(ix: number): boolean;
  /** The entity that pulled `ix` in (-1 for a root) and the root whose closure reached it first. */
  readonly principal: Int32Array;
  readonly rootOf: Int32Array;
  /** `id (name)`. */
  label(ix: number): string;
  ref(ix: number): EntityRef;
  /** From a root to `ix` through the closure: the proof, elided when long. Links are shared between chains: never modify them. */
  chain(ix: number): ViolationChain;
  /** Scratch for a search over the deleted entities (Tarjan's arrays), and a fresh mark for each search. */
  readonly scc: SccScratch;
  nextSearch(): number;
  /** Per entity scratch for a dataflow over the deleted entities (valid only within one check). */
  readonly reach: Int32Array;
}

/** A plan's result and the manifest it was checked against, as the manifest rules read them. */
export interface ManifestContext {
  readonly g: GraphIndex;
  readonly manifest: Manifest;
  readonly selection?: Selection;
  readonly rehearsal?: RehearsalInput;
  /** The rehearsal already judged (when an approved plan is recomputed without the file): its problems, empty when fine. */
  readonly rehearsalJudged?: readonly string[];
  /** The roots planned: `targets` when given, else the selected IDs (sorted), as listed. */
  readonly roots: readonly string[];
  readonly result: PlanResult;
  /** From a root to `id` through the result, elided when long (empty when `id` is not deleted). */
  chain(id: string): ViolationChain;
}

export interface PlanRule<N extends string = string> extends RuleMeta<N> {
  readonly stage: 'plan';
  /** Appends the rule's violations to `out`, in the order they are reported. */
  check(ctx: PlanContext, out: Violation[]): void;
}

export interface ManifestRule<N extends string = string> extends RuleMeta<N> {
  readonly stage: 'manifest';
  check(ctx: ManifestContext, out: Violation[]): void;
}

export type Rule<N extends string = string> = PlanRule<N> | ManifestRule<N>;

/** Declares a plan rule (keeps its name as a literal type, so RuleName is the union of the registry's names). */
export function planRule<const N extends string>(rule: Omit<PlanRule<N>, 'stage'>): PlanRule<N> {
  return { stage: 'plan', ...rule };
}

/** Declares a manifest rule. */
export function manifestRule<const N extends string>(rule: Omit<ManifestRule<N>, 'stage'>): ManifestRule<N> {
  return { stage: 'manifest', ...rule };
}
