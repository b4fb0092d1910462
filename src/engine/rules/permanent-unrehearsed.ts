// permanent-unrehearsed: a `mode: permanent` deletion must follow an intact, passing, soft-mode approved plan of
// the same targets (its rehearsal), named by the manifest and read by the caller.
import { byCodeUnit } from '../../model/compare.js';
import { digestProblems } from '../approved.js';
import { manifestRule } from './types.js';

export const permanentUnrehearsed = manifestRule({
  name: 'permanent-unrehearsed',
  help: 'a permanent deletion without an intact, matching soft-mode rehearsal plan',
  anchor: (manifest) => (manifest.rehearsal !== undefined ? ['rehearsal'] : ['mode']),
  order: 110,
  check({ manifest, rehearsal: r, rehearsalJudged, roots }, out) {
    if (manifest.mode !== 'permanent') return;
    const unrehearsed = (message: string) => out.push({ rule: 'permanent-unrehearsed', message, entity: null, chain: [] });
    if (manifest.rehearsal !== undefined && rehearsalJudged !== undefined) {
      for (const message of rehearsalJudged) unrehearsed(message);
      return;
    }
    if (manifest.rehearsal === undefined || r === undefined) {
      unrehearsed('mode is permanent, but the manifest names no rehearsal: the approved soft-mode plan of the same targets (rehearsal: FILE)');
      return;
    }
    if (!r.plan) {
      unrehearsed(`rehearsal ${r.file} is not a usable approved plan: ${r.problem ?? 'unreadable'}`);
      return;
    }
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
  },
});

/** The first `max` IDs, quoted, and how many more. */
function examples(ids: readonly string[], max = 3): string {
  const shown = ids.slice(0, max).map((id) => JSON.stringify(id));
  return ids.length > max ? `${shown.join(', ')} and ${ids.length - max} more` : shown.join(', ');
}
