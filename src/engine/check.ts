// Checking a manifest: resolve its targets (literal `targets`, `select`, or both), plan the deletion, and add the
// manifest-level rules: target-mismatch, permanent-scope, permanent-unrehearsed. Pure: the rehearsal plan is read
// by the caller and handed in.
import type { Manifest } from '../model/types.js';
import type { GraphIndex } from '../store/compact.js';
import { digestProblems, type ApprovedPlan } from './approved.js';
import { plan } from './plan.js';
import { RULES, type ChainLink, type PlanResult, type Violation } from './result.js';
import { describeSelector, select, type Selection } from './select.js';

/** The rehearsal named by a permanent manifest, as read by the caller: the plan, or why it could not be read. */
export interface RehearsalInput {
  /** As written in the manifest. */
  file: string;
  plan?: ApprovedPlan;
  /** Why the file is not a usable plan (not found, not JSON, not a plan…). */
  problem?: string;
}

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

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function examples(ids: readonly string[], max = 3): string {
  const shown = ids.slice(0, max).map((id) => JSON.stringify(id));
  return ids.length > max ? `${shown.join(', ')} and ${ids.length - max} more` : shown.join(', ');
}

export function checkManifest(g: GraphIndex, manifest: Manifest, opts: ManifestCheckOptions = {}): ManifestCheck {
  const selection = manifest.select ? select(g, manifest.select) : undefined;
  const roots = manifest.targets ?? selection?.ids ?? [];
  const result = plan(g, roots, { intent: manifest.intent ?? {}, limits: manifest.limits ?? {} });
  const extra: Violation[] = [];
  const deletedById = new Map(result.deleted.map((d) => [d.id, d]));
  const chainOf = (id: string): ChainLink[] => {
    const links: ChainLink[] = [];
    for (let d = deletedById.get(id); d; d = d.via ? deletedById.get(d.via.principal) : undefined) {
      const link: ChainLink = { id: d.id, type: d.type, relation: d.via?.relation ?? null };
      if (d.name !== undefined) link.name = d.name;
      if (d.via) link.onDelete = d.via.onDelete;
      links.push(link);
      if (links.length > deletedById.size) break; // never loops: principals come first in closure order
    }
    return links.reverse();
  };
  const describe = (id: string) => {
    const ix = g.indexOf(id);
    return ix < 0 ? `"${id}" (not in the graph)` : `"${id}" (${g.typeOf(ix)})`;
  };

  // target-mismatch: the hand-made list must name exactly what the selectors pick.
  if (manifest.targets && selection && manifest.select) {
    const listed = new Set(manifest.targets);
    for (const id of new Set(manifest.targets)) {
      if (selection.matchedBy.has(id)) continue;
      extra.push({ rule: 'target-mismatch', message: `${describe(id)} is in targets, but no select entry picks it`, entity: id, chain: chainOf(id) });
    }
    for (const id of selection.ids) {
      if (listed.has(id)) continue;
      const s = selection.matchedBy.get(id)!;
      extra.push({
        rule: 'target-mismatch',
        message: `${describe(id)} is picked by select[${s}] (${describeSelector(manifest.select[s])}), but is not in targets`,
        entity: id,
        chain: [],
      });
    }
  }

  if (manifest.mode === 'permanent') {
    // permanent-scope: a permanent deletion never reaches a boundary entity or a critical type.
    const types = g.schema.types;
    const boundary = g.schema.boundary;
    for (const d of result.deleted) {
      const critical = types !== undefined && Object.hasOwn(types, d.type) && types[d.type].critical === true;
      if (d.type !== boundary && !critical) continue;
      const what = d.type === boundary ? `the ${boundary}` : `an entity of the critical type ${d.type}`;
      extra.push({
        rule: 'permanent-scope',
        message: `this permanent deletion reaches ${what} ${d.name ? `${d.id} (${d.name})` : d.id}; delete it softly instead`,
        entity: d.id,
        chain: chainOf(d.id),
      });
    }
    // permanent-unrehearsed: a permanent deletion follows an intact, passing soft-mode plan of the same targets.
    const unrehearsed = (message: string) => extra.push({ rule: 'permanent-unrehearsed', message, entity: null, chain: [] });
    const r = opts.rehearsal;
    if (manifest.rehearsal !== undefined && opts.rehearsalJudged !== undefined) {
      for (const message of opts.rehearsalJudged) unrehearsed(message);
    } else if (manifest.rehearsal === undefined || r === undefined) {
      unrehearsed('mode is permanent, but the manifest names no rehearsal: the approved soft-mode plan of the same targets (rehearsal: FILE)');
    } else if (!r.plan) {
      unrehearsed(`rehearsal ${r.file} is not a usable approved plan: ${r.problem ?? 'unreadable'}`);
    } else {
      const p = r.plan;
      for (const problem of digestProblems(p)) unrehearsed(`rehearsal ${r.file}: ${problem}`);
      if (p.mode !== 'soft') unrehearsed(`rehearsal ${r.file} is a ${p.mode} plan; a permanent deletion must follow a soft-mode plan`);
      if (p.verdict !== 'pass') unrehearsed(`rehearsal ${r.file} failed its checks (${p.violations} violations); it was never approved`);
      const mine = new Set(roots);
      const theirs = new Set(p.roots);
      const onlyHere = [...mine].filter((id) => !theirs.has(id)).sort(byCodeUnit);
      const onlyThere = [...theirs].filter((id) => !mine.has(id)).sort(byCodeUnit);
      if (onlyHere.length || onlyThere.length) {
        const parts: string[] = [];
        if (onlyHere.length) parts.push(`${onlyHere.length} target${onlyHere.length === 1 ? ' is' : 's are'} not in it (${examples(onlyHere)})`);
        if (onlyThere.length) parts.push(`${onlyThere.length} of its targets ${onlyThere.length === 1 ? 'is' : 'are'} not targets here (${examples(onlyThere)})`);
        unrehearsed(`rehearsal ${r.file} was made for other targets: ${parts.join('; ')}`);
      }
    }
  }

  if (extra.length) {
    const rank = new Map<string, number>(RULES.map((rule, i) => [rule, i]));
    result.violations = [...result.violations, ...extra].sort((a, b) => rank.get(a.rule)! - rank.get(b.rule)!);
    result.verdict = 'fail';
  }
  return { result, roots: result.roots, ...(selection ? { selection } : {}) };
}
