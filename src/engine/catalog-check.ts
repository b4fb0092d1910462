// `ingest --mapping M --check-against URI`: a hand-written mapping's graph held against the graph the database's own
// foreign keys give (the same rows, IDs `table:key` as docs/databases.md writes them). Pure, on two GraphIndexes:
// every foreign key the mapping lacks, every relation whose onDelete is weaker than the database's, every mapped
// reference with no constraint behind it. A finding is `unsafe` when it can make blastguard report less than the
// database would delete (or pass a deletion the database refuses).
import type { GraphIndex } from '../model/graph.js';
import type { OnDelete } from '../model/types.js';
import { byCodeUnit } from '../model/compare.js';

export interface CatalogFinding {
  kind: 'missing' | 'weaker' | 'unbacked' | 'unchecked';
  /** The database's relation type (a foreign key), or the mapping's (unbacked). */
  relation: string;
  /** `comments → issues`. */
  tables?: string;
  /** The database's onDelete for the foreign key. */
  dbOnDelete?: OnDelete;
  /** The mapping's relation type and onDelete (weaker). */
  mapped?: { relation: string; onDelete: OnDelete };
  /** References concerned, of how many. */
  count: number;
  of: number;
  unsafe: boolean;
}

export interface CatalogCheck {
  findings: CatalogFinding[];
  /** Database rows with no entity of the same ID in the mapping's graph (their references cannot be compared). */
  rowsNotMapped: number;
  rows: number;
  foreignKeys: number;
}

/**
 * A mapping's onDelete is weaker when a plan with it deletes less than the database (detach or none for a CASCADE,
 * none for a SET NULL), or lets through a deletion the database refuses (anything but protect or restrict for a
 * RESTRICT / NO ACTION: a cascade there would turn the refusal into a PASS).
 */
export function weakerThan(db: OnDelete, mapped: OnDelete): boolean {
  switch (db) {
    case 'cascade':
      return mapped === 'detach' || mapped === 'none' || mapped === 'last-owner';
    case 'detach':
      return mapped === 'none';
    case 'protect':
    case 'restrict':
      return mapped !== 'protect' && mapped !== 'restrict';
    default:
      return false;
  }
}

interface PerKey {
  tables?: string;
  edges: number;
  missing: number;
  notComparable: number;
  /** The mapping's relation types on references that no relation of the mapping covers as strongly as the database. */
  cover: Map<number, number>;
}

/** Compares the mapping's graph `m` with the database's graph `d`. */
export function checkAgainstCatalog(m: GraphIndex, d: GraphIndex): CatalogCheck {
  const keys = new Map<number, PerKey>();
  for (let code = 0; code < d.relationTypeNames.length; code++) keys.set(code, { edges: 0, missing: 0, notComparable: 0, cover: new Map() });
  let rowsNotMapped = 0;
  const dm = new Int32Array(d.size);
  for (let a = 0; a < d.size; a++) {
    dm[a] = m.indexOf(d.idOf(a));
    if (dm[a] < 0) rowsNotMapped++;
  }
  const out = d.outgoing;
  for (let a = 0; a < d.size; a++) {
    for (let k = out.offsets[a]; k < out.offsets[a + 1]; k++) {
      const b = out.nodes[k];
      const key = keys.get(out.types[k])!;
      key.edges++;
      key.tables ??= `${d.typeOf(a)} → ${d.typeOf(b)}`;
      const ma = dm[a];
      const mb = dm[b];
      if (ma < 0 || mb < 0) {
        key.notComparable++;
        continue;
      }
      // The pair is fine when one of the mapping's relations between the two rows is at least as strong; when every
      // one is weaker, each is counted against the foreign key.
      const dbOnDelete = d.relationSemantics[out.types[k]];
      const covering: number[] = [];
      let strong = false;
      for (let j = m.outgoing.offsets[ma]; j < m.outgoing.offsets[ma + 1]; j++) {
        if (m.outgoing.nodes[j] !== mb) continue;
        covering.push(m.outgoing.types[j]);
        if (!weakerThan(dbOnDelete, m.relationSemantics[m.outgoing.types[j]])) strong = true;
      }
      if (!covering.length) key.missing++;
      else if (!strong) for (const t of new Set(covering)) key.cover.set(t, (key.cover.get(t) ?? 0) + 1);
    }
  }
  const findings: CatalogFinding[] = [];
  for (const [code, key] of keys) {
    const relation = d.relationTypeNames[code];
    const dbOnDelete = d.relationSemantics[code];
    if (key.edges === 0 || key.notComparable === key.edges) {
      findings.push({ kind: 'unchecked', relation, tables: key.tables, dbOnDelete, count: key.notComparable, of: key.edges, unsafe: false });
      continue;
    }
    if (key.missing) findings.push({ kind: 'missing', relation, tables: key.tables, dbOnDelete, count: key.missing, of: key.edges, unsafe: true });
    for (const [t, n] of key.cover) {
      const onDelete = m.relationSemantics[t];
      findings.push({
        kind: 'weaker',
        relation,
        tables: key.tables,
        dbOnDelete,
        mapped: { relation: m.relationTypeNames[t], onDelete },
        count: n,
        of: key.edges,
        unsafe: true,
      });
    }
  }
  // The mapping's references with no foreign key behind them (between rows the database has).
  const unbacked = new Map<number, { n: number; of: number }>();
  for (let ma = 0; ma < m.size; ma++) {
    const a = d.indexOf(m.idOf(ma));
    for (let j = m.outgoing.offsets[ma]; j < m.outgoing.offsets[ma + 1]; j++) {
      const t = m.outgoing.types[j];
      const u = unbacked.get(t) ?? { n: 0, of: 0 };
      unbacked.set(t, u);
      u.of++;
      const b = d.indexOf(m.idOf(m.outgoing.nodes[j]));
      let found = false;
      if (a >= 0 && b >= 0) for (let k = out.offsets[a]; k < out.offsets[a + 1] && !found; k++) found = out.nodes[k] === b;
      if (!found) u.n++;
    }
  }
  for (const [t, u] of unbacked)
    if (u.n)
      findings.push({
        kind: 'unbacked',
        relation: m.relationTypeNames[t],
        mapped: { relation: m.relationTypeNames[t], onDelete: m.relationSemantics[t] },
        count: u.n,
        of: u.of,
        unsafe: false,
      });
  const order = { missing: 0, weaker: 1, unbacked: 2, unchecked: 3 };
  findings.sort((x, y) => order[x.kind] - order[y.kind] || byCodeUnit(x.relation, y.relation));
  return { findings, rowsNotMapped, rows: d.size, foreignKeys: d.relationTypeNames.length };
}
