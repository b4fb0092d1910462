// The architecture review of a whole graph: the blast radius of every site and of the entities of every type, and
// the structural risks that make deletions dangerous, each with the relations that cause it. Pure: graph in,
// result out. Every closure runs through the engine's closure(), which reuses the graph's stamped workspace.
import { createHash } from 'node:crypto';
import type { OnDelete } from '../model/types.js';
import type { GraphIndex } from '../store/compact.js';
import { closure } from './plan.js';
import type { EntityRef } from './result.js';
import { sccScratch, stronglyConnected } from './scc.js';
import { lastOwnerCounts, ownershipMask, siteIndex, sortedMinus, type SiteIndex } from './sites.js';

export const AUDIT_RULES = [
  'cross-boundary-relation',
  'shared-entity',
  'boundary-deletable',
  'cascade-cycle',
  'no-site',
  'none-structure',
] as const;
export type AuditRule = (typeof AUDIT_RULES)[number];

export const AUDIT_RULE_HELP: Record<AuditRule, string> = {
  'cross-boundary-relation': 'cascade or last-owner relations whose two ends belong to different sites: they carry a deletion across sites',
  'shared-entity': 'entities that belong to several sites and that deleting one of those sites alone would delete',
  'boundary-deletable': 'boundary entities (sites) that the deletion of another entity would delete',
  'cascade-cycle': 'cycles of cascade relations: deleting any member deletes them all',
  'no-site': 'entities that belong to no site (and have no site below them): no site boundary covers their deletion',
  'none-structure': 'relation types declared "none" that carry most of the relations of an entity type',
};

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

export function fingerprint(rule: AuditRule, parts: readonly string[]): string {
  return `${rule}:${createHash('sha256').update(JSON.stringify([rule, ...parts])).digest('hex').slice(0, 16)}`;
}

const DEFAULT_MAX_WORK = 50_000_000;
/** Primes for spreading the measured roots over a type (any prefix of the order is then a spread sample). */
const STRIDES = [1_000_003, 999_983, 998_243];
const BLOCK = 256;

export function audit(g: GraphIndex, options: AuditOptions = {}): AuditResult {
  return auditDetail(g, options).result;
}

export function auditDetail(g: GraphIndex, options: AuditOptions = {}): AuditDetail {
  const n = g.size;
  const sites = siteIndex(g);
  const boundaryCode = sites.boundaryCode;
  const typeCodes = g.typeCodes;
  const typeCount = g.typeNames.length;
  const own = ownershipMask(g);
  const sem = g.relationSemantics;
  const { offsets: inOff, types: inTypes } = g.incoming;
  const { offsets: outOff, nodes: outNodes, types: outTypes } = g.outgoing;

  const ref = (ix: number): EntityRef => {
    const r: EntityRef = { id: g.idOf(ix), type: g.typeOf(ix) };
    const name = g.nameOf(ix);
    if (name !== undefined) r.name = name;
    return r;
  };
  // Site IDs per site set, decoded once and shared by the findings (a user of 5,000 sites and everything below it
  // have one set).
  const idsOfSet = new Map<number, string[]>();
  const siteIds = (ix: number) => {
    const set = sites.setOf(ix);
    let ids = idsOfSet.get(set);
    if (!ids) idsOfSet.set(set, (ids = Array.from(sites.sitesOf(ix), (s) => g.idOf(s))));
    return ids;
  };
  const entity = (ix: number): FindingEntity => ({ ...ref(ix), sites: siteIds(ix) });
  const label = (ix: number) => {
    const name = g.nameOf(ix);
    return name !== undefined && name !== '' ? `${g.idOf(ix)} (${name})` : g.idOf(ix);
  };
  const relation = (from: number, e: number): RelationRef => ({
    from: g.idOf(from),
    type: g.relationTypeNames[outTypes[e]],
    to: g.idOf(outNodes[e]),
    onDelete: sem[outTypes[e]],
  });

  // Entities of each type, grouped (a counting sort of indices by type code).
  const typeStart = new Int32Array(typeCount + 1);
  for (let i = 0; i < n; i++) typeStart[typeCodes[i] + 1]++;
  for (let t = 0; t < typeCount; t++) typeStart[t + 1] += typeStart[t];
  const byTypeOrder = new Int32Array(n);
  {
    const cursor = typeStart.slice(0, typeCount);
    for (let i = 0; i < n; i++) byTypeOrder[cursor[typeCodes[i]]++] = i;
  }

  // Per site: the closure of deleting that site alone.
  const deletableBySite = new Uint8Array(n);
  const siteStamp = new Int32Array(n);
  let siteRound = 0;
  // Counting the sites a closure reaches: each distinct site set is expanded once per closure (siteRound), so
  // 20,000 deleted entities of one 5,000-site set cost 20,000 lookups, not 100 M.
  const setStamp = new Int32Array(sites.sets.size);
  const countNewSites = (x: number): number => {
    const set = sites.setOf(x);
    if (setStamp[set] === siteRound) return 0;
    setStamp[set] = siteRound;
    const xs = sites.sets.get(set);
    let added = 0;
    for (let j = 0; j < xs.length; j++) {
      if (siteStamp[xs[j]] === siteRound) continue;
      siteStamp[xs[j]] = siteRound;
      added++;
    }
    return added;
  };
  const typeTally = new Int32Array(typeCount);
  const sharedBy = new Map<number, number[]>();
  const siteRows: SiteRadius[] = [];
  const siteSize = new Map<number, number>();
  const root = new Int32Array(1);
  if (boundaryCode >= 0) {
    for (let k = typeStart[boundaryCode]; k < typeStart[boundaryCode + 1]; k++) {
      const s = byTypeOrder[k];
      root[0] = s;
      const c = closure(g, root);
      const members = c.members;
      siteRound++;
      siteStamp[s] = siteRound;
      typeTally.fill(0);
      let otherSites = 0;
      let sitesDeleted = 0;
      let shared = 0;
      for (let i = 0; i < members.length; i++) {
        const x = members[i];
        typeTally[typeCodes[x]]++;
        if (x === s) continue;
        deletableBySite[x] = 1;
        if (typeCodes[x] === boundaryCode) sitesDeleted++;
        if (sites.sitesOf(x).length >= 2 && typeCodes[x] !== boundaryCode) {
          shared++;
          const list = sharedBy.get(x);
          if (list) list.push(s);
          else sharedBy.set(x, [s]);
        }
        otherSites += countNewSites(x);
      }
      const byType: Record<string, number> = Object.create(null);
      for (let t = 0; t < typeCount; t++) if (typeTally[t]) byType[g.typeNames[t]] = typeTally[t];
      siteRows.push({ ...ref(s), deleted: c.size, byType, otherSites, sitesDeleted, shared });
      siteSize.set(s, c.size);
    }
  }
  siteRows.sort((a, b) => b.deleted - a.deleted || cmp(a.id, b.id));

  // Per type: every entity (or an even sample) planned as the only root.
  const maxRoots = Math.max(1, options.maxRootsPerType ?? Infinity);
  const maxWork = Math.max(1, options.maxWorkPerType ?? DEFAULT_MAX_WORK);
  const typeRows: TypeRadius[] = [];
  for (let t = 0; t < typeCount; t++) {
    const count = typeStart[t + 1] - typeStart[t];
    if (count === 0) continue;
    const limit = Math.min(count, maxRoots);
    // Blocks of neighbouring entities (good locality), visited in a strided order (so a prefix is a spread sample).
    const blocks = Math.ceil(count / BLOCK);
    const stride = STRIDES.find((p) => blocks % p !== 0) ?? 1;
    const sizes = new Int32Array(limit);
    let best = -1;
    let bestSize = -1;
    let total = 0;
    let measured = 0;
    for (let k = 0; k < blocks * BLOCK && measured < limit && total < maxWork; k++) {
      const b = ((Math.floor(k / BLOCK) * stride) % blocks) * BLOCK + (k % BLOCK);
      if (b >= count) continue; // past the end of the short last block
      const x = byTypeOrder[typeStart[t] + b];
      let size = siteSize.get(x);
      if (size === undefined) {
        // Nothing depends on x through cascade or last-owner: deleting it deletes only itself.
        let leaf = true;
        for (let e = inOff[x]; e < inOff[x + 1]; e++) {
          if (own[inTypes[e]]) {
            leaf = false;
            break;
          }
        }
        if (leaf) size = 1;
        else {
          root[0] = x;
          size = closure(g, root).size;
        }
      }
      sizes[measured++] = size;
      total += size;
      if (size > bestSize || (size === bestSize && x < best)) {
        bestSize = size;
        best = x;
      }
    }
    const measuredSizes = sizes.subarray(0, measured).sort();
    root[0] = best;
    const c = closure(g, root);
    siteRound++;
    let sitesDeleted = 0;
    let sitesReached = 0;
    for (let i = 0; i < c.members.length; i++) {
      const x = c.members[i];
      if (typeCodes[x] === boundaryCode) sitesDeleted++;
      sitesReached += countNewSites(x);
    }
    typeRows.push({
      type: g.typeNames[t],
      entities: count,
      measured,
      largest: { ...ref(best), deleted: bestSize, sitesDeleted, sitesReached },
      median: percentile(measuredSizes, 0.5),
      p95: percentile(measuredSizes, 0.95),
      mean: Math.round((total / measured) * 100) / 100,
    });
  }
  typeRows.sort((a, b) => b.largest.deleted - a.largest.deleted || cmp(a.type, b.type));

  // Structural risks.
  const findings: AuditFinding[] = [];
  const add = (rule: AuditRule, parts: string[], subject: string, message: string, entities: FindingEntity[], relations: RelationRef[]) =>
    findings.push({ rule, fingerprint: fingerprint(rule, parts), subject, message, entities, relations });
  const boundary = g.schema.boundary;
  const siteList = (list: ArrayLike<number>) => Array.from(list, (s) => label(s)).join(', ');

  // cross-boundary-relation: A -T-> B (cascade or last-owner) where A is not a site and A's sites differ from B's.
  // A always has every site of B, so "differ" means A also belongs to a site that B does not: deleting B (or B's
  // sites) deletes A there too. A last-owner relation counts only when every last-owner target of A lies inside B's
  // sites, so that deleting those sites really deletes A (a user who is a member of two sites is not a finding).
  const owners = lastOwnerSites(g, sites);
  for (let a = 0; a < n; a++) {
    if (typeCodes[a] === boundaryCode) continue;
    const aSet = sites.setOf(a);
    for (let e = outOff[a]; e < outOff[a + 1]; e++) {
      const t = outTypes[e];
      if (!own[t]) continue;
      const b = outNodes[e];
      const bSet = sites.setOf(b);
      if (aSet === bSet) continue; // interned: equal sets have equal ids
      if (sem[t] === 'last-owner' && !owners.inside(a, bSet)) continue;
      const as = sites.sitesOf(a);
      const bs = sites.sitesOf(b);
      const extra = sortedMinus(as, bs);
      const msg = bs.length
        ? `deleting ${label(b)} deletes ${label(a)} (${g.relationTypeNames[t]}, ${sem[t]}), which also belongs to ${siteList(extra)}`
        : `${label(b)} belongs to no ${boundary}, and deleting it deletes ${label(a)} (${g.relationTypeNames[t]}, ${sem[t]}) in ${siteList(extra)}`;
      const r = relation(a, e);
      add('cross-boundary-relation', [r.from, r.type, r.to], `${r.from} ${r.type} ${r.to}`, msg, [entity(a), entity(b)], [r]);
    }
  }

  // shared-entity: found by the site closures above.
  for (const [x, deleters] of sharedBy) {
    const rels: RelationRef[] = [];
    for (let e = outOff[x]; e < outOff[x + 1]; e++) if (own[outTypes[e]]) rels.push(relation(x, e));
    const msg = `${label(x)} belongs to ${siteList(sites.sitesOf(x))}; deleting ${deleters.length === 1 ? label(deleters[0]) : `any one of ${siteList(deleters)}`} alone deletes it`;
    add('shared-entity', [g.idOf(x)], g.idOf(x), msg, [entity(x), ...deleters.map(entity)], rels);
  }

  // boundary-deletable: a site that depends on another entity through cascade or last-owner.
  if (boundaryCode >= 0) {
    for (let k = typeStart[boundaryCode]; k < typeStart[boundaryCode + 1]; k++) {
      const s = byTypeOrder[k];
      for (let e = outOff[s]; e < outOff[s + 1]; e++) {
        const t = outTypes[e];
        if (!own[t]) continue;
        const x = outNodes[e];
        const how = sem[t] === 'cascade' ? '' : ' (once its other owners are deleted too)';
        const msg = `deleting ${label(x)} [${g.typeOf(x)}] deletes ${boundary} ${label(s)}${how}: ${g.relationTypeNames[t]} is ${sem[t]}`;
        const r = relation(s, e);
        add('boundary-deletable', [r.from, r.type, r.to], `${r.from} ${r.type} ${r.to}`, msg, [entity(s), entity(x)], [r]);
      }
    }
  }

  // cascade-cycle: strongly connected components over cascade relations (or a cascade relation to itself).
  {
    const cascade = Uint8Array.from(sem, (s) => (s === 'cascade' ? 1 : 0));
    const starts: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let e = outOff[i]; e < outOff[i + 1]; e++) {
        if (cascade[outTypes[e]]) {
          starts.push(i);
          break;
        }
      }
    }
    const cycles: number[][] = [];
    stronglyConnected(g.outgoing, sccScratch(n), 1, starts, (_w, t) => cascade[t] === 1, (members) => {
      if (members.length > 1) cycles.push(members);
      else {
        const v = members[0];
        for (let e = outOff[v]; e < outOff[v + 1]; e++) {
          if (cascade[outTypes[e]] && outNodes[e] === v) {
            cycles.push(members);
            break;
          }
        }
      }
    });
    for (const members of cycles) {
      members.sort((a, b) => cmp(g.idOf(a), g.idOf(b)));
      const inCycle = new Set(members);
      const rels: RelationRef[] = [];
      for (const v of members) {
        for (let e = outOff[v]; e < outOff[v + 1]; e++) if (cascade[outTypes[e]] && inCycle.has(outNodes[e])) rels.push(relation(v, e));
      }
      const ids = members.map((v) => g.idOf(v));
      const shown = members.slice(0, 5).map(label).join(', ') + (members.length > 5 ? `, … (${members.length} in all)` : '');
      const msg = `${members.length === 1 ? `${shown} cascades to itself` : `${members.length} entities delete each other through cascade relations: ${shown}`}; deleting any of them deletes them all`;
      add('cascade-cycle', ids, `${ids[0]}${ids.length > 1 ? ` +${ids.length - 1}` : ''}`, msg, members.map(entity), rels);
    }
  }

  // no-site: entities no site reaches.
  if (boundaryCode < 0) {
    add('no-site', [boundary], `no ${boundary}`, `the graph has no entity of the boundary type "${boundary}": every entity is global, so no deletion can be checked against a site boundary`, [], []);
  } else if (sites.globalCount > 0) {
    // Entities above the boundary (an organization that sites belong to) have no site by design; the
    // boundary-deletable findings cover them.
    const above = new Uint8Array(n);
    const queue: number[] = [];
    for (let k = typeStart[boundaryCode]; k < typeStart[boundaryCode + 1]; k++) queue.push(byTypeOrder[k]);
    for (let h = 0; h < queue.length; h++) {
      const x = queue[h];
      for (let e = outOff[x]; e < outOff[x + 1]; e++) {
        const y = outNodes[e];
        if (!own[outTypes[e]] || above[y] || typeCodes[y] === boundaryCode) continue;
        above[y] = 1;
        queue.push(y);
      }
    }
    for (let x = 0; x < n; x++) {
      if (above[x] || sites.sitesOf(x).length) continue;
      const rels: RelationRef[] = [];
      for (let e = outOff[x]; e < outOff[x + 1] && rels.length < 5; e++) rels.push(relation(x, e));
      const why = outOff[x + 1] === outOff[x] ? 'it depends on nothing' : 'none of its cascade or last-owner relations leads to one';
      add('no-site', [g.idOf(x)], g.idOf(x), `${label(x)} [${g.typeOf(x)}] belongs to no ${boundary}: ${why}`, [entity(x)], rels);
    }
  }

  // none-structure: a relation type declared none that is at least half of the relations leaving an entity type.
  {
    const relTypeCount = g.relationTypeNames.length;
    const outByType = new Float64Array(typeCount);
    const cell = new Float64Array(typeCount * relTypeCount);
    const sample = new Int32Array(typeCount * relTypeCount).fill(-1);
    for (let i = 0; i < n; i++) {
      const tc = typeCodes[i];
      for (let e = outOff[i]; e < outOff[i + 1]; e++) {
        outByType[tc]++;
        const k = tc * relTypeCount + outTypes[e];
        cell[k]++;
        if (sample[k] < 0) sample[k] = e;
      }
    }
    const from = (e: number) => {
      // The entity a relation position leaves (binary search over offsets).
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (outOff[mid] <= e) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    for (let r = 0; r < relTypeCount; r++) {
      if (sem[r] !== 'none') continue;
      for (let tc = 0; tc < typeCount; tc++) {
        const k = tc * relTypeCount + r;
        if (!cell[k] || cell[k] * 2 < outByType[tc]) continue;
        const pct = Math.round((cell[k] / outByType[tc]) * 100);
        const rt = g.relationTypeNames[r];
        const et = g.typeNames[tc];
        const msg = `${rt} (none) is ${pct}% of the relations leaving ${et} entities (${cell[k]} of ${outByType[tc]}): deleting what they point at leaves them behind; if a ${et} lives inside what ${rt} points at, ${rt} should be cascade or last-owner`;
        add('none-structure', [rt, et], `${rt} from ${et}`, msg, [], [relation(from(sample[k]), sample[k])]);
      }
    }
  }

  const ruleRank = new Map<string, number>(AUDIT_RULES.map((r, i) => [r, i]));
  findings.sort((a, b) => ruleRank.get(a.rule)! - ruleRank.get(b.rule)!);
  const counts = Object.fromEntries(AUDIT_RULES.map((r) => [r, 0])) as Record<AuditRule, number>;
  for (const f of findings) counts[f.rule]++;

  const byType: Record<string, number> = Object.create(null);
  for (let t = 0; t < typeCount; t++) if (typeStart[t + 1] > typeStart[t]) byType[g.typeNames[t]] = typeStart[t + 1] - typeStart[t];
  const relCounts = new Float64Array(g.relationTypeNames.length);
  for (let e = 0; e < outTypes.length; e++) relCounts[outTypes[e]]++;
  const result: AuditResult = {
    boundary,
    graph: {
      entities: n,
      relations: g.relationCount,
      sites: boundaryCode >= 0 ? typeStart[boundaryCode + 1] - typeStart[boundaryCode] : 0,
      global: sites.globalCount,
      byType,
      relationTypes: g.relationTypeNames.map((type, i) => ({ type, onDelete: sem[i], count: relCounts[i] })),
    },
    sites: siteRows,
    types: typeRows,
    findings,
    counts,
  };
  return { result, deletableBySite };
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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function percentile(sorted: Int32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Whether deleting the sites `inside` (the sites of one last-owner target of `a`, as a set id) can take `a` down:
 * `a` has that one last-owner target only, or every last-owner target of `a` belongs to some site, all of them
 * among `inside`. Per entity, the union of its owners' sites is built once (by set id), so a user with 5,000
 * last-owner targets costs one union, then one subset check per distinct pair of sets.
 */
function lastOwnerSites(g: GraphIndex, sites: SiteIndex): { inside(a: number, inside: number): boolean } {
  const { offsets, nodes, types } = g.outgoing;
  const isLastOwner = Uint8Array.from(g.relationSemantics, (s) => (s === 'last-owner' ? 1 : 0));
  const counts = lastOwnerCounts(g);
  const sets = sites.sets.extend();
  // Per entity asked about: -1 when some last-owner target belongs to no site, else the union's set id.
  const unionOf = new Map<number, number>();
  const ids: number[] = [];
  return {
    inside(a, inside) {
      if (counts[a] === 1) return true;
      if (inside === 0) return false;
      let u = unionOf.get(a);
      if (u === undefined) {
        ids.length = 0;
        u = 0;
        for (let e = offsets[a]; e < offsets[a + 1] && u === 0; e++) {
          if (!isLastOwner[types[e]]) continue;
          const os = sites.setOf(nodes[e]);
          if (os === 0) u = -1;
          else ids.push(os);
        }
        if (u === 0) u = sets.union(ids);
        unionOf.set(a, u);
      }
      return u >= 0 && sets.subset(u, inside);
    },
  };
}
