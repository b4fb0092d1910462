// Compares two graphs (before and after a schema or data change): how each site's blast radius changes, which
// structural risks appear or go, and what each changed onDelete does. Pure: two graphs in, result out.
import { byCodeUnit } from '../model/compare.js';
import type { OnDelete } from '../model/types.js';
import type { GraphIndex } from '../model/graph.js';
import { auditDetail, type AuditDetail, type AuditFinding, type AuditOptions, type AuditRule } from './audit.js';
import type { EntityRef } from './result.js';

export interface SiteChange extends EntityRef {
  /** Entities deleting this site alone deletes; null when the site is not in that graph. */
  before: number | null;
  after: number | null;
  delta: number;
  /** Growth in percent of `before` (rounded to 0.1); null for a site that is new or gone. */
  growthPct: number | null;
}

export interface OnDeleteChange {
  /** The relation type. */
  type: string;
  before: OnDelete | null;
  after: OnDelete | null;
  /** Entities (present in both graphs, with a relation of this type) that a single site's deletion can now delete, by type. */
  newlyDeletable: Record<string, number>;
  /** … and that it no longer can, by type. */
  noLongerDeletable: Record<string, number>;
  message: string;
}

export interface TypeChange {
  type: string;
  before: { entities: number; largest: number; median: number; p95: number } | null;
  after: { entities: number; largest: number; median: number; p95: number } | null;
}

export interface DiffGate {
  failOnGrowth: number;
  /** Sites whose blast radius grew by more than failOnGrowth percent. */
  failing: string[];
  verdict: 'pass' | 'fail';
}

export interface DiffResult {
  boundary: string;
  before: { entities: number; relations: number; sites: number };
  after: { entities: number; relations: number; sites: number };
  /** Every site of either graph: largest growth first, then new and removed sites. */
  sites: SiteChange[];
  unchangedSites: number;
  /** The site whose blast radius grew most in percent (null when none grew). */
  maxGrowth: SiteChange | null;
  onDelete: OnDeleteChange[];
  /** Entities (in both graphs) that some single site's deletion deletes. */
  deletable: { before: number; after: number; added: Record<string, number>; removed: Record<string, number> };
  types: TypeChange[];
  findings: {
    added: AuditFinding[];
    removed: AuditFinding[];
    before: Record<AuditRule, number>;
    after: Record<AuditRule, number>;
  };
  gate?: DiffGate;
}

export function diff(before: GraphIndex, after: GraphIndex, options: AuditOptions = {}): DiffResult {
  return diffDetails(before, auditDetail(before, options), after, auditDetail(after, options));
}

/** The diff of two already audited graphs. */
export function diffDetails(bg: GraphIndex, b: AuditDetail, ag: GraphIndex, a: AuditDetail): DiffResult {
  const before = b.result;
  const after = a.result;

  // Sites.
  const beforeSites = new Map(before.sites.map((s) => [s.id, s]));
  const afterSites = new Map(after.sites.map((s) => [s.id, s]));
  const sites: SiteChange[] = [];
  let unchangedSites = 0;
  for (const s of after.sites) {
    const old = beforeSites.get(s.id);
    const change: SiteChange = {
      id: s.id,
      type: s.type,
      before: old?.deleted ?? null,
      after: s.deleted,
      delta: s.deleted - (old?.deleted ?? 0),
      growthPct: null,
    };
    if (s.name !== undefined) change.name = s.name;
    if (old) {
      change.growthPct = old.deleted ? Math.round(((s.deleted - old.deleted) / old.deleted) * 1000) / 10 : null;
      if (old.deleted === s.deleted) unchangedSites++;
    }
    sites.push(change);
  }
  for (const s of before.sites) {
    if (afterSites.has(s.id)) continue;
    const change: SiteChange = { id: s.id, type: s.type, before: s.deleted, after: null, delta: -s.deleted, growthPct: null };
    if (s.name !== undefined) change.name = s.name;
    sites.push(change);
  }
  const rank = (c: SiteChange) => (c.before === null ? 1 : c.after === null ? 2 : 0);
  sites.sort((x, y) => rank(x) - rank(y) || (y.growthPct ?? 0) - (x.growthPct ?? 0) || y.delta - x.delta || byCodeUnit(x.id, y.id));
  const grown = sites.filter((s) => s.growthPct !== null && s.growthPct > 0);
  const maxGrowth = grown.length ? grown.reduce((m, s) => (s.growthPct! > m.growthPct! ? s : m)) : null;

  // Deletable by a single site's deletion, for entities present in both graphs.
  const nowDeletable = new Uint8Array(ag.size); // 1: newly deletable (in `ag` indices)
  const wasDeletable = new Uint8Array(bg.size); // 1: no longer deletable (in `bg` indices)
  const added: Record<string, number> = Object.create(null);
  const removed: Record<string, number> = Object.create(null);
  let countBefore = 0;
  let countAfter = 0;
  for (let x = 0; x < ag.size; x++) {
    const y = bg.indexOf(ag.idOf(x));
    if (y < 0) continue;
    const da = a.deletableBySite[x] === 1;
    const db = b.deletableBySite[y] === 1;
    if (da) countAfter++;
    if (db) countBefore++;
    if (da && !db) {
      nowDeletable[x] = 1;
      added[ag.typeOf(x)] = (added[ag.typeOf(x)] ?? 0) + 1;
    } else if (db && !da) {
      wasDeletable[y] = 1;
      removed[bg.typeOf(y)] = (removed[bg.typeOf(y)] ?? 0) + 1;
    }
  }

  // Relation types whose onDelete changed, and the entities with such a relation whose fate changed.
  const onDelete: OnDeleteChange[] = [];
  const names = [...new Set([...bg.relationTypeNames, ...ag.relationTypeNames])];
  for (const type of names) {
    const was = Object.hasOwn(bg.schema.relations, type) ? bg.schema.relations[type].onDelete : null;
    const is = Object.hasOwn(ag.schema.relations, type) ? ag.schema.relations[type].onDelete : null;
    if (was === is) continue;
    const newlyDeletable = withRelation(ag, ag.relationTypeNames.indexOf(type), nowDeletable);
    const noLongerDeletable = withRelation(bg, bg.relationTypeNames.indexOf(type), wasDeletable);
    const parts: string[] = [];
    // Type names as declared, never inflected ("user: 9"), and the boundary by its type name (the words of the reports).
    const single = `by deleting a single ${after.boundary} entity`;
    if (Object.keys(newlyDeletable).length) parts.push(`makes deletable ${single}: ${countsText(newlyDeletable)}`);
    if (Object.keys(noLongerDeletable).length) parts.push(`makes no longer deletable ${single}: ${countsText(noLongerDeletable)}`);
    const message = `${type}: ${was ?? '(not declared)'} → ${is ?? '(not declared)'} ${parts.length ? parts.join('; and ') : `changes the deletion of no single ${after.boundary} entity`}`;
    onDelete.push({ type, before: was, after: is, newlyDeletable, noLongerDeletable, message });
  }

  // Per-type blast radius.
  const typesBefore = new Map(before.types.map((t) => [t.type, t]));
  const typesAfter = new Map(after.types.map((t) => [t.type, t]));
  const typeNames = [...new Set([...after.types.map((t) => t.type), ...before.types.map((t) => t.type)])];
  const stat = (t: AuditDetail['result']['types'][number] | undefined) =>
    t ? { entities: t.entities, largest: t.largest.deleted, median: t.median, p95: t.p95 } : null;
  const types: TypeChange[] = typeNames.map((type) => ({ type, before: stat(typesBefore.get(type)), after: stat(typesAfter.get(type)) }));

  // Structural risks, by fingerprint.
  const fpBefore = new Set(before.findings.map((f) => f.fingerprint));
  const fpAfter = new Set(after.findings.map((f) => f.fingerprint));
  const findings = {
    added: after.findings.filter((f) => !fpBefore.has(f.fingerprint)),
    removed: before.findings.filter((f) => !fpAfter.has(f.fingerprint)),
    before: before.counts,
    after: after.counts,
  };

  return {
    boundary: after.boundary,
    before: { entities: before.graph.entities, relations: before.graph.relations, sites: before.graph.sites },
    after: { entities: after.graph.entities, relations: after.graph.relations, sites: after.graph.sites },
    sites,
    unchangedSites,
    maxGrowth,
    onDelete,
    deletable: { before: countBefore, after: countAfter, added, removed },
    types,
    findings,
  };
}

/** Fails the diff when a site's blast radius grew by more than `pct` percent. */
export function growthGate(result: DiffResult, pct: number): DiffResult {
  const failing = result.sites.filter((s) => s.growthPct !== null && s.growthPct > pct).map((s) => s.id);
  return { ...result, gate: { failOnGrowth: pct, failing, verdict: failing.length ? 'fail' : 'pass' } };
}

function withRelation(g: GraphIndex, code: number, marked: Uint8Array): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  if (code < 0) return out;
  const { offsets, types } = g.outgoing;
  for (let x = 0; x < g.size; x++) {
    if (!marked[x]) continue;
    for (let e = offsets[x]; e < offsets[x + 1]; e++) {
      if (types[e] !== code) continue;
      out[g.typeOf(x)] = (out[g.typeOf(x)] ?? 0) + 1;
      break;
    }
  }
  return out;
}

function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || byCodeUnit(a[0], b[0]))
    .map(([k, v]) => `${k}: ${v.toLocaleString('en-US')}`)
    .join(', ');
}
