// One row of a table's read query (model.ts TablePlan: key parts, name, protected flag, attributes, the relations'
// key parts) as an entity and its relations: shared by the whole read (read.ts) and the push-down
// (src/app/postgres-push-down.ts), so that both name every row and every reference the same way.
import type { Entity } from '../../model/types.js';
import { quoteIdent } from './catalog.js';
import { rowId, type ReadPlan, type TablePlan } from './model.js';

/** A row's fields as text (null for SQL NULL); boolean columns as `t` / `f`, as COPY writes them. */
export type Row = (string | null)[];

export function fieldAt(row: Row, pos: number, t: TablePlan): string | null {
  if (pos >= row.length) throw new Error(`the query of ${t.type} returned ${row.length} columns, expected more than ${pos}`);
  return row[pos];
}

/** The row's key parts, in key order. */
export function keyOfRow(row: Row, t: TablePlan): string[] {
  const key: string[] = [];
  for (let k = 0; k < t.keyCount; k++) key.push(fieldAt(row, k, t) ?? '');
  return key;
}

/** The entity a row is. */
export function rowEntity(row: Row, t: TablePlan, plan: Pick<ReadPlan, 'protectedIds'>): Entity {
  const id = rowId(t.type, keyOfRow(row, t));
  const e: Entity = { id, type: t.type };
  if (t.namePos !== undefined) {
    const name = row[t.namePos];
    if (name !== null) e.name = name;
  }
  if ((t.protectedPos !== undefined && row[t.protectedPos] === 't') || plan.protectedIds.has(id)) e.protected = true;
  if (t.attributes.length) {
    const attrs: Record<string, unknown> = {};
    for (const a of t.attributes) {
      const v = row[a.pos];
      if (v !== null) attrs[a.name] = a.exact ? v : JSON.parse(v);
    }
    e.attributes = attrs;
  }
  return e;
}

/** A reference a row holds: relation type, target entity type, the target's key parts. */
export interface RowReference {
  relationType: string;
  toType: string;
  toKey: string[];
}

/**
 * The references a row holds, one per relation at most (the first target whose key parts are all non-NULL: MATCH
 * SIMPLE; a join that found no row is none either); `missing` is called with the label of a relation whose column
 * holds a value that names no row.
 */
export function rowReferences(row: Row, t: TablePlan, missing?: (label: string) => void): RowReference[] {
  const out: RowReference[] = [];
  for (const r of t.relations) {
    let found = false;
    for (const target of r.targets) {
      const parts: string[] = [];
      for (const p of target.positions) {
        const v = row[p];
        if (v === null) break;
        parts.push(v);
      }
      if (parts.length === target.positions.length) {
        out.push({ relationType: r.relationType, toType: target.type, toKey: parts });
        found = true;
        break;
      }
    }
    if (!found && missing && r.heldAt !== undefined && row[r.heldAt] === 't') missing(r.label!);
  }
  return out;
}

/** The key columns of a table's read query, for `ORDER BY` (the order of order.ts). */
export function keyColumns(t: TablePlan): string[] {
  return t.table.pk!.map((n) => `t.${quoteIdent(t.table.byNum.get(n)!.name)}`);
}

/** A table's read query in key order (order.ts); `where` restricts it (the push-down). */
export function selectRows(t: TablePlan, where?: string): string {
  return `SELECT ${t.select.join(', ')} FROM ${t.from}${where ? ` WHERE ${where}` : ''} ORDER BY ${keyColumns(t).join(', ')}`;
}
