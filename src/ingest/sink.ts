// Where every reader's entities and relations go: a GraphBuilder plus the bookkeeping that lets each problem name its
// file, line and field: duplicate IDs (both places), unknown types, references to missing entities.
import { ProblemList, type InputProblem } from '../model/errors.js';
import type { Entity, Schema } from '../model/types.js';
import { GraphBuilder, type CompactGraph } from '../store/compact.js';
import { addRecordFast, addScannedRecord, DECLINED } from './ndjson-fast.js';

/**
 * A place in the input: a file and the field(s) a record's values came from. Records carry `slot * 2^32 + line` as
 * their tag, so a relation costs one number to locate.
 */
export interface Slot {
  file: string;
  /** Reported as the source of dropped dangling references. */
  source: string;
  /** The field of the `from` end (for relations) or of the ID (for entities). */
  fromField?: string;
  toField?: string;
}

const LINE = 2 ** 32;

class Places {
  data = new Float64Array(1024);
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      let n = this.data.length * 2;
      while (n <= i) n *= 2;
      const next = new Float64Array(n);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}

export interface IngestStats {
  files: number;
  records: number;
  bytes: number;
  entities: number;
  relations: number;
  entitiesByType: Record<string, number>;
  relationsByType: Record<string, number>;
  /** Dangling references dropped under allowDangling, per source. */
  droppedDangling: Record<string, number>;
  seconds: number;
}

export class IngestSink {
  readonly builder: GraphBuilder;
  readonly problems = new ProblemList(20);
  /** Problems that make the rest of the check meaningless (an unreadable file): skip the dangling check. */
  fatal = false;
  private readonly slots: Slot[] = [];
  private readonly slotKeys = new Map<string, number>();
  private readonly places = new Places();

  constructor(schema: Schema) {
    this.builder = new GraphBuilder(schema);
  }

  /** The slot number for a file and its fields (slots are few: one per file and field set). */
  slot(s: Slot): number {
    const key = `${s.file}\u0000${s.source}\u0000${s.fromField ?? ''}\u0000${s.toField ?? ''}`;
    let n = this.slotKeys.get(key);
    if (n === undefined) {
      n = this.slots.length;
      if (n >= 2 ** 21) throw new RangeError('too many input files');
      this.slots.push(s);
      this.slotKeys.set(key, n);
    }
    return n;
  }

  tag(slot: number, line: number): number {
    return slot * LINE + line;
  }

  where(tag: number): { file: string; line: number; slot: Slot } {
    const slot = this.slots[Math.floor(tag / LINE)];
    return { file: slot.file, line: tag % LINE, slot };
  }

  problem(p: InputProblem): void {
    this.problems.add(p);
  }

  at(tag: number, field: string | undefined, message: string): void {
    const { file, line } = this.where(tag);
    this.problems.add({ file, line, field, message });
  }

  /** Adds an entity (already checked for shape); reports an unknown type or a duplicate ID. */
  /** Returns false when the entity was not added (its references are then skipped, to report only the cause). */
  entity(e: Entity, tag: number, idField: string | undefined, typeField?: string): boolean {
    const b = this.builder;
    if (b.schema.types !== undefined && b.unknownType(e.type)) {
      this.at(tag, typeField, `type "${e.type}" is not declared in schema.types`);
      return false;
    }
    const ix = b.addEntity(e);
    if (ix >= 0) {
      this.places.set(ix, tag);
      return true;
    }
    const first = this.where(this.places.data[b.definedIndex(e.id)]);
    this.at(tag, idField, `duplicate ID "${e.id}" (first defined at ${first.file}:${first.line})`);
    return false;
  }

  /**
   * Takes an NDJSON record straight from its bytes when it is plain (see ndjson-fast.ts); returns false, having
   * changed nothing, when the line needs the general path.
   */
  fast(buf: Uint8Array, s: number, e: number, tag: number, only?: 'entity' | 'relation'): boolean {
    const r = addRecordFast(this.builder, buf, s, e, tag, only);
    if (r >= 0) this.places.set(r, tag);
    return r !== DECLINED;
  }

  /** `fast` for a line the parallel reader's worker has scanned (row `o` of `rows`; `typeCodes` see addScannedRecord). */
  fastScanned(buf: Uint8Array, rows: Int32Array, o: number, typeCodes: Int32Array, tag: number): boolean {
    const r = addScannedRecord(this.builder, buf, rows, o, typeCodes, tag);
    if (r >= 0) this.places.set(r, tag);
    return r !== DECLINED;
  }

  /** Adds a relation; reports an unknown relation type (`typeField` names where the type came from). */
  relation(from: string, type: string, to: string, tag: number, typeField?: string): void {
    if (!this.builder.addRelation(from, type, to, tag)) this.at(tag, typeField, `relation type "${type}" is not declared in schema.relations`);
  }

  /**
   * Checks references and builds the graph. Dangling references are errors, or with `allowDangling` dropped and
   * counted per source. Throws InputError when there is any problem.
   */
  finish(allowDangling: boolean): { graph: CompactGraph; droppedDangling: Record<string, number> } {
    const droppedDangling: Record<string, number> = Object.create(null);
    if (!this.fatal) {
      if (allowDangling) {
        this.builder.forEachDangling((tag) => {
          const { slot } = this.where(tag);
          droppedDangling[slot.source] = (droppedDangling[slot.source] ?? 0) + 1;
        });
      } else {
        const room = Math.max(0, this.problems.keep - this.problems.items.length);
        const { count, items } = this.builder.dangling(room);
        for (const d of items) {
          const { file, line, slot } = this.where(d.tag);
          if (d.missing !== 'to') {
            this.problems.add({ file, line, field: slot.fromField, message: `references missing entity "${d.from}"` });
          }
          if (d.missing !== 'from') {
            this.problems.add({ file, line, field: slot.toField, message: `references missing entity "${d.to}"` });
          }
        }
        // Relations beyond those listed count once each.
        if (count > items.length) this.problems.count += count - items.length;
      }
    }
    this.problems.throwIfAny();
    return { graph: this.builder.build(), droppedDangling };
  }
}

/**
 * The counts of a graph read from a database (no file, nothing dangling: a database's references are checked by
 * its constraints or dropped with a warning by the reader): `records` rows or nodes, `bytes` received, since `started`
 * (performance.now()).
 */
export function databaseReadStats(graph: CompactGraph, records: number, bytes: number, started: number): IngestStats {
  return {
    files: 0,
    records,
    bytes,
    entities: graph.size,
    relations: graph.relationCount,
    ...countByType(graph),
    droppedDangling: Object.create(null) as Record<string, number>,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Counts of a built graph, per entity type and per relation type (sorted by count, then name). */
export function countByType(graph: CompactGraph): { entitiesByType: Record<string, number>; relationsByType: Record<string, number> } {
  const e = new Array<number>(graph.typeNames.length).fill(0);
  for (let i = 0; i < graph.size; i++) e[graph.typeCodes[i]]++;
  const r = new Array<number>(graph.relationTypeNames.length).fill(0);
  const types = graph.outgoing.types;
  for (let k = 0; k < types.length; k++) r[types[k]]++;
  const sorted = (names: readonly string[], counts: number[]) => {
    const out: Record<string, number> = Object.create(null);
    names
      .map((n, i) => [n, counts[i]] as const)
      .filter(([, c]) => c > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .forEach(([n, c]) => (out[n] = c));
    return out;
  };
  return { entitiesByType: sorted(graph.typeNames, e), relationsByType: sorted(graph.relationTypeNames, r) };
}
