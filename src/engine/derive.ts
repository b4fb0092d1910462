// Re-derivation: recompute an approved plan on the snapshot it was made on, from what it says it was made from (its
// request: roots, selection, intent, limits, mode, waves, the judged rehearsal), and say what differs from the
// file. A digest only proves the fields agree with each other; this proves the outcome (what is deleted, the
// verdict, the waves) follows from the inputs. It cannot prove the inputs are the reviewed ones: a plan whose
// request was loosened and whose outcome was recomputed to match is consistent — only a signature (signature.ts)
// tells a plan CI made from the reviewed manifest from one made by someone else. Pure.
import type { Manifest } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import { approvedBody, planDigest, type ApprovedPlan } from './approved.js';
import { checkManifest } from './check.js';
import { canonicalJson } from './fingerprint.js';
import type { PlanResult } from './result.js';
import { parseWaveSpec, splitWaves, type WaveDraft } from './waves.js';
import { byCodeUnit } from '../model/compare.js';
import { perGraph } from './toolkit/per-graph.js';

export interface Derivation {
  /** false for a version-1 plan: it records no request, so it cannot be recomputed. */
  derivable: boolean;
  /** One sentence per thing that differs; empty when the file is exactly what its request gives on the snapshot. */
  differences: string[];
}

function examples(ids: readonly string[], max = 3): string {
  const shown = ids.slice(0, max).map((id) => JSON.stringify(id));
  return ids.length > max ? `${shown.join(', ')} and ${ids.length - max} more` : shown.join(', ');
}

function onlyIn(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return [...new Set(a)].filter((id) => !other.has(id)).sort(byCodeUnit);
}

function rulesText(result: PlanResult): string {
  const counts = new Map<string, number>();
  for (const v of result.violations) counts.set(v.rule, (counts.get(v.rule) ?? 0) + 1);
  return [...counts].map(([rule, n]) => (n === 1 ? rule : `${rule} ×${n}`)).join(', ');
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** What differs between the file and the plan recomputed from its request (both on `g`). */
function compare(file: ApprovedPlan, again: Omit<ApprovedPlan, 'digest'>, result: PlanResult): string[] {
  const out: string[] = [];
  if (!same(file.snapshot, again.snapshot)) out.push('its snapshot counts are not those of this snapshot');
  if (!same(file.roots, again.roots)) {
    const parts: string[] = [];
    const picked = onlyIn(again.roots, file.roots);
    const listed = onlyIn(file.roots, again.roots);
    if (picked.length) parts.push(`${picked.length} picked by its select ${picked.length === 1 ? 'is' : 'are'} not among its targets (${examples(picked)})`);
    if (listed.length) parts.push(`${listed.length} of its targets ${listed.length === 1 ? 'is' : 'are'} not picked by its select (${examples(listed)})`);
    out.push(`its targets are not what its request gives: ${parts.join('; ') || 'they differ in order or count'}`);
  }
  if (!same(file.deleted, again.deleted)) {
    const parts: string[] = [];
    const unlisted = onlyIn(again.deleted, file.deleted);
    const invented = onlyIn(file.deleted, again.deleted);
    if (unlisted.length) parts.push(`it deletes ${unlisted.length} entit${unlisted.length === 1 ? 'y' : 'ies'} the file does not list (${examples(unlisted)})`);
    if (invented.length) parts.push(`the file lists ${invented.length} entit${invented.length === 1 ? 'y' : 'ies'} it does not delete (${examples(invented)})`);
    out.push(parts.join(', and ') || 'its deleted list differs in order or count');
  }
  if (file.verdict !== again.verdict) {
    const why = again.violations ? ` (${again.violations} violation${again.violations === 1 ? '' : 's'}: ${rulesText(result)})` : '';
    out.push(`its verdict is ${again.verdict}${why}, not ${file.verdict}`);
  } else if (file.violations !== again.violations) {
    out.push(`it has ${again.violations} violation${again.violations === 1 ? '' : 's'}, not ${file.violations}`);
  }
  if (!same(file.summary, again.summary)) out.push('its summary differs');
  const fw = file.waves ?? [];
  const aw = again.waves ?? [];
  if (!same(fw, aw)) {
    if (fw.length !== aw.length) out.push(`it has ${aw.length} wave${aw.length === 1 ? '' : 's'}, not ${fw.length}`);
    else {
      const differ = fw.filter((w, i) => !same(w, aw[i])).map((w) => w.wave);
      out.push(`its wave${differ.length === 1 ? '' : 's'} ${differ.join(', ')} differ${differ.length === 1 ? 's' : ''}`);
    }
  }
  return out;
}

function recompute(g: GraphIndex, p: ApprovedPlan): string[] {
  const req = p.request!;
  if (req.roots === 'selected' && req.select === undefined) return ['its request says the targets were selected, but records no select'];
  const manifest: Manifest = {
    ...(req.roots === 'listed' ? { targets: p.roots } : {}),
    ...(req.select !== undefined ? { select: req.select } : {}),
    mode: p.mode,
    ...(req.rehearsal !== undefined ? { rehearsal: req.rehearsal.file } : {}),
    intent: req.intent,
    limits: req.limits,
  };
  const { result } = checkManifest(g, manifest, req.rehearsal !== undefined ? { rehearsalJudged: req.rehearsal.problems } : {});
  let waves: WaveDraft[] | undefined;
  if (req.waves !== undefined) {
    try {
      waves = splitWaves(g, result, parseWaveSpec(req.waves), { intent: req.intent, limits: req.limits });
    } catch (err) {
      return [`its waves cannot be made on this snapshot (${(err as Error).message})`];
    }
  }
  const again = approvedBody(g, result, { mode: p.mode, source: p.source, waves, request: req });
  return compare(p, again, result);
}

// Recomputing is a full plan (and one per wave): a script that guards each wave must not pay it each time. The last
// derivations are kept per graph (a per-graph cache, ./toolkit/per-graph.ts), by the plan's digest.
const derivations = perGraph(() => new Map<string, string[]>());
const CACHE_PER_GRAPH = 16;

/**
 * Recomputes `p` on `g` (the snapshot it was made on: check the fingerprint first) and lists what differs. The
 * plan's own fields are trusted only as inputs: roots (when listed), request and mode.
 */
export function rederive(g: GraphIndex, p: ApprovedPlan): Derivation {
  if (p.version < 2 || p.request === undefined) return { derivable: false, differences: [] };
  const key = planDigest(p);
  const seen = derivations(g);
  const hit = seen.get(key);
  if (hit) return { derivable: true, differences: [...hit] };
  const differences = recompute(g, p);
  if (seen.size >= CACHE_PER_GRAPH) seen.delete(seen.keys().next().value!);
  seen.set(key, differences);
  return { derivable: true, differences: [...differences] };
}
