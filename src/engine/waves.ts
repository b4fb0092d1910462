// Canary waves: split a plan's targets by site so a script can delete the smallest sites first and stop at the
// first surprise. Pure.
//
// - A "site unit" is the set of targets that share exactly the same sites (almost always: the targets of one site;
//   targets of no site form one unit of their own).
// - A unit's blast radius is the number of entities deleting its targets alone would delete. (Not "what the plan
//   deletes through them, each entity counted for the target that reached it first": which target reaches a shared
//   entity first depends on the order of the targets and of the graph's adjacency lists, and an approved plan must
//   come out the same when verify recomputes it from its sorted roots on the same snapshot in any order.)
// - Units are taken smallest blast radius first (ties: by site IDs), and the spec `1,10,100,rest` puts the first
//   unit in wave 1, the next 10 in wave 2, the next 100 in wave 3 and every other in the last wave. Empty waves are
//   dropped, so waves are numbered 1..k without gaps.
// - A wave deletes what the targets of waves 1..k delete together, less what waves 1..k-1 already deleted (so an
//   entity kept alive by a site of a later wave is deleted in that later wave).
import { byCodeUnit } from '../model/compare.js';
import type { PlanOptions } from './plan.js';
import { closure, plan } from './plan.js';
import type { PlanResult } from './result.js';
import { siteIndexOnDemand } from './sites.js';
import type { WaveDraft } from '../model/approved-plan.js';
import type { GraphIndex } from '../model/graph.js';

export type { WaveDraft };

export type WaveCount = number | 'rest';

/** Parses `1,10,100,rest`. Throws an Error with a readable message on a bad spec. */
export function parseWaveSpec(spec: string): WaveCount[] {
  const parts = spec.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw new Error(`--waves "${spec}": give counts separated by commas, e.g. 1,10,100,rest`);
  return parts.map((p, i) => {
    if (p === 'rest') {
      if (i !== parts.length - 1) throw new Error(`--waves "${spec}": "rest" can only be the last wave`);
      return 'rest';
    }
    if (!/^[1-9]\d*$/.test(p) || !Number.isSafeInteger(Number(p)))
      throw new Error(`--waves "${spec}": "${p}" is not a positive whole number of sites or "rest"`);
    return Number(p);
  });
}

/** Splits `result` (a plan of `g`) into waves. Unknown targets are not placed in any wave (the plan fails anyway). */
export function splitWaves(g: GraphIndex, result: PlanResult, spec: readonly WaveCount[], options: PlanOptions = {}): WaveDraft[] {
  const sites = siteIndexOnDemand(g);
  const units = new Map<string, { key: string; sites: string[]; roots: string[]; indices: number[]; radius: number }>();
  for (const r of result.roots) {
    const ix = g.indexOf(r);
    if (ix < 0) continue;
    const siteIds = Array.from(sites.sitesOf(ix), (s) => g.idOf(s)).sort(byCodeUnit);
    const key = JSON.stringify(siteIds);
    let u = units.get(key);
    if (!u) units.set(key, (u = { key, sites: siteIds, roots: [], indices: [], radius: 0 }));
    u.roots.push(r);
    u.indices.push(ix);
  }
  // A closure is a set (a fixpoint): its size does not depend on any order. Units' closures together cost about
  // what the whole plan does, plus what they share.
  for (const u of units.values()) u.radius = closure(g, u.indices).size;
  const ordered = [...units.values()].sort((a, b) => a.radius - b.radius || byCodeUnit(a.key, b.key));

  const covered = spec.reduce<number>((sum, c) => (c === 'rest' ? Infinity : sum + c), 0);
  if (covered < ordered.length) {
    throw new Error(`--waves ${spec.join(',')} covers ${covered} of the ${ordered.length} site groups of these targets; end the list with "rest"`);
  }
  const waves: WaveDraft[] = [];
  const cumulative: string[] = [];
  let before = new Set<string>();
  let next = 0;
  for (const count of spec) {
    const take = count === 'rest' ? ordered.length - next : Math.min(count, ordered.length - next);
    if (take <= 0) continue;
    const chosen = ordered.slice(next, next + take);
    next += take;
    const roots = chosen.flatMap((u) => u.roots).sort(byCodeUnit);
    cumulative.push(...roots);
    const now = plan(g, cumulative, options);
    const deleted: string[] = [];
    const byType: Record<string, number> = Object.create(null);
    const all = new Set<string>();
    for (const d of now.deleted) {
      all.add(d.id);
      if (before.has(d.id)) continue;
      deleted.push(d.id);
      byType[d.type] = (byType[d.type] ?? 0) + 1;
    }
    before = all;
    waves.push({
      wave: waves.length + 1,
      spec: String(count),
      sites: chosen.flatMap((u) => (u.sites.length ? u.sites : [''])),
      roots,
      deleted: deleted.sort(byCodeUnit),
      byType,
    });
  }
  return waves;
}
