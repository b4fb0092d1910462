// The blast radii of an audit: the closure of every site deleted alone, and of the entities of every type taken as
// the only root (all of them, or an even sample when a type is large). Pure; every closure runs through the
// engine's closure(), which reuses the graph's stamped workspace.
import { byCodeUnit } from '../model/compare.js';
import type { GraphIndex } from '../model/graph.js';
import type { AuditOptions, SiteRadius, TypeRadius } from './audit.js';
import { closure } from './closure.js';
import type { TypeIndex } from './select.js';
import type { SiteIndex } from './sites.js';
import { entityRef } from './toolkit/labels.js';
import { ownershipMask } from './toolkit/masks.js';

const DEFAULT_MAX_WORK = 50_000_000;
/** Primes for spreading the measured roots over a type (any prefix of the order is then a spread sample). */
const STRIDES = [1_000_003, 999_983, 998_243];
const BLOCK = 256;

export interface Radii {
  /** Every boundary entity, largest blast radius first. */
  sites: SiteRadius[];
  /** One row per entity type, largest single-root blast radius first. */
  types: TypeRadius[];
  /** 1 for every entity that some single site's deletion deletes (the deleted site itself excluded). */
  deletableBySite: Uint8Array;
  /** Entities of several sites (not sites themselves) that a single site's deletion deletes → those sites. */
  sharedBy: Map<number, number[]>;
}

/**
 * Counts the distinct sites the entities of one closure belong to: each site set is expanded once per closure
 * (start a closure with next()), so 20,000 deleted entities of one 5,000-site set cost 20,000 lookups, not 100 M.
 */
class SiteCounter {
  private readonly siteStamp: Int32Array;
  private readonly setStamp: Int32Array;
  private round = 0;

  constructor(
    n: number,
    private readonly sites: SiteIndex,
  ) {
    this.siteStamp = new Int32Array(n);
    this.setStamp = new Int32Array(sites.sets.size);
  }

  /** Starts a new closure; `already` (a site, or -1) counts as seen. */
  next(already = -1): void {
    this.round++;
    if (already >= 0) this.siteStamp[already] = this.round;
  }

  /** How many sites of `x` this closure had not seen yet. */
  add(x: number): number {
    const set = this.sites.setOf(x);
    if (this.setStamp[set] === this.round) return 0;
    this.setStamp[set] = this.round;
    const xs = this.sites.sets.get(set);
    let added = 0;
    for (let j = 0; j < xs.length; j++) {
      if (this.siteStamp[xs[j]] === this.round) continue;
      this.siteStamp[xs[j]] = this.round;
      added++;
    }
    return added;
  }
}

export function radii(g: GraphIndex, sites: SiteIndex, types: TypeIndex, options: AuditOptions): Radii {
  const counter = new SiteCounter(g.size, sites);
  const site = siteRadii(g, sites, types, counter);
  const typeRows = typeRadii(g, types, counter, site.size, options);
  return { sites: site.rows, types: typeRows, deletableBySite: site.deletableBySite, sharedBy: site.sharedBy };
}

/** Per site: the closure of deleting that site alone. */
function siteRadii(g: GraphIndex, sites: SiteIndex, types: TypeIndex, counter: SiteCounter) {
  const boundaryCode = sites.boundaryCode;
  const typeCodes = g.typeCodes;
  const typeCount = g.typeNames.length;
  const deletableBySite = new Uint8Array(g.size);
  const typeTally = new Int32Array(typeCount);
  const sharedBy = new Map<number, number[]>();
  const rows: SiteRadius[] = [];
  const size = new Map<number, number>();
  const root = new Int32Array(1);
  if (boundaryCode >= 0) {
    for (let k = types.offsets[boundaryCode]; k < types.offsets[boundaryCode + 1]; k++) {
      const s = types.members[k];
      root[0] = s;
      const c = closure(g, root);
      const members = c.members;
      counter.next(s);
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
        otherSites += counter.add(x);
      }
      const byType: Record<string, number> = Object.create(null);
      for (let t = 0; t < typeCount; t++) if (typeTally[t]) byType[g.typeNames[t]] = typeTally[t];
      rows.push({ ...entityRef(g, s), deleted: c.size, byType, otherSites, sitesDeleted, shared });
      size.set(s, c.size);
    }
  }
  rows.sort((a, b) => b.deleted - a.deleted || byCodeUnit(a.id, b.id));
  return { rows, size, deletableBySite, sharedBy };
}

/** Per type: every entity (or an even sample) planned as the only root. `siteSize`: the site closures' sizes. */
function typeRadii(g: GraphIndex, types: TypeIndex, counter: SiteCounter, siteSize: Map<number, number>, options: AuditOptions): TypeRadius[] {
  const typeCodes = g.typeCodes;
  const boundaryCode = g.typeNames.indexOf(g.schema.boundary);
  const own = ownershipMask(g);
  const { offsets: inOff, types: inTypes } = g.incoming;
  const maxRoots = Math.max(1, options.maxRootsPerType ?? Infinity);
  const maxWork = Math.max(1, options.maxWorkPerType ?? DEFAULT_MAX_WORK);
  const root = new Int32Array(1);
  const rows: TypeRadius[] = [];
  for (let t = 0; t < g.typeNames.length; t++) {
    const start = types.offsets[t];
    const count = types.offsets[t + 1] - start;
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
      const x = types.members[start + b];
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
    counter.next();
    let sitesDeleted = 0;
    let sitesReached = 0;
    for (let i = 0; i < c.members.length; i++) {
      const x = c.members[i];
      if (typeCodes[x] === boundaryCode) sitesDeleted++;
      sitesReached += counter.add(x);
    }
    rows.push({
      type: g.typeNames[t],
      entities: count,
      measured,
      largest: { ...entityRef(g, best), deleted: bestSize, sitesDeleted, sitesReached },
      median: percentile(measuredSizes, 0.5),
      p95: percentile(measuredSizes, 0.95),
      mean: Math.round((total / measured) * 100) / 100,
    });
  }
  rows.sort((a, b) => b.largest.deleted - a.largest.deleted || byCodeUnit(a.type, b.type));
  return rows;
}

function percentile(sorted: Int32Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}
