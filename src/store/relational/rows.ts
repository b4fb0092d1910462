// Rows of a read plan (src/store/postgres/model.ts) into a GraphBuilder, whatever database streamed them: each row's
// key parts make its ID, then its name, protection, attributes and references (a NULL in any key column is no
// reference: MATCH SIMPLE). Counts the overlay references that name no row, and refuses two rows with one ID.
import { ProblemList } from '../../model/errors.js';
import type { Entity } from '../../model/types.js';
import { GraphBuilder, type CompactGraph } from '../compact.js';
import { rowId, type ArrayPlan, type ReadPlan, type TablePlan } from '../postgres/model.js';

export type Field = string | null;

export class RowGraph {
  readonly builder: GraphBuilder;
  private readonly problems = new ProblemList(20);
  private readonly missing = new Map<string, number>();
  rows = 0;

  constructor(
    private readonly plan: ReadPlan,
    private readonly where: string,
    private readonly dbName: string,
  ) {
    this.builder = new GraphBuilder(plan.schema);
  }

  row(t: TablePlan, row: readonly Field[]): void {
    this.rows++;
    if (row.length < t.keyCount) throw new Error(`a row of ${t.type} has ${row.length} columns, expected at least ${t.keyCount}`);
    const key: string[] = [];
    for (let k = 0; k < t.keyCount; k++) key.push(row[k] ?? '');
    const id = rowId(t.type, key);
    const e: Entity = { id, type: t.type };
    if (t.namePos !== undefined) {
      const name = row[t.namePos];
      if (name !== null) e.name = name;
    }
    if ((t.protectedPos !== undefined && row[t.protectedPos] === 't') || this.plan.protectedIds.has(id)) e.protected = true;
    if (t.attributes.length) {
      const attrs: Record<string, unknown> = {};
      for (const a of t.attributes) {
        const v = row[a.pos];
        if (v !== null) attrs[a.name] = a.exact ? v : JSON.parse(v);
      }
      e.attributes = attrs;
    }
    if (this.builder.addEntity(e) < 0)
      this.problems.add({
        file: this.where,
        field: t.type,
        message: `two rows have the ID "${id}" (a table name with ":" can collide with another table's IDs): rename one`,
      });
    for (const r of t.relations) {
      let to: string | undefined;
      for (const target of r.targets) {
        const parts: string[] = [];
        for (const p of target.positions) {
          const v = row[p];
          if (v === null) break;
          parts.push(v);
        }
        if (parts.length === target.positions.length) {
          to = rowId(target.type, parts);
          break;
        }
      }
      if (to !== undefined) this.builder.addRelation(id, r.relationType, to);
      else if (r.heldAt !== undefined && row[r.heldAt] === 't') this.missing.set(r.label!, (this.missing.get(r.label!) ?? 0) + 1);
    }
  }

  arrayRow(a: ArrayPlan, row: readonly Field[]): void {
    const from = rowId(a.fromType, row.slice(0, a.keyCount) as string[]);
    const toParts = row.slice(a.keyCount, a.keyCount + a.toKeyCount);
    if (toParts.some((v) => v === null)) this.missing.set(a.label, (this.missing.get(a.label) ?? 0) + 1);
    else this.builder.addRelation(from, a.relationType, rowId(a.toType, toParts as string[]));
  }

  /** The graph; throws the problems found (duplicate IDs, protected IDs that name no row). */
  finish(warn: (line: string) => void): CompactGraph {
    for (const [id, problem] of this.plan.protectedIds) if (this.builder.definedIndex(id) < 0) this.problems.add(problem);
    this.problems.throwIfAny();
    for (const [label, n] of this.missing)
      warn(`warning: ${n.toLocaleString('en-US')} value${n === 1 ? '' : 's'} of ${label} name${n === 1 ? 's' : ''} no row; not followed`);
    const dangling = this.builder.dangling(3);
    if (dangling.count) {
      // Every reference comes from a join inside one snapshot: a dangling one is a bug.
      throw new Error(
        `reading ${this.dbName} produced ${dangling.count} references to rows that were not read, e.g. ${dangling.items.map((d) => `${d.from} -${d.type}-> ${d.to}`).join('; ')}`,
      );
    }
    return this.builder.build();
  }
}
