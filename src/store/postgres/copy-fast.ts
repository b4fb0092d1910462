// A table's COPY text rows straight into the GraphBuilder, at byte level: the row is split where its tabs are, and
// the row's ID, name and each reference's target ID are written as bytes into one scratch buffer that the builder
// interns from (addEntityBytes, addRelationBytes): no string, array or object per row. A row the byte path cannot
// take — a field with a backslash escape, a table with attributes or an overlay list of protected IDs — is decoded
// into text fields and handed to `slow` (the string path of rows.ts), so both paths give the same entities.
import { unescapeCopy } from './copy-text.js';
import type { GraphBuilder } from '../compact.js';
import type { ReadPlan, TablePlan } from './model.js';
import type { Row } from './rows.js';

const TAB = 9;
const NL = 10;
const BACKSLASH = 92;
const PERCENT = 37;
const PIPE = 124;
const T = 116; // 't', as COPY writes true

/** What a field is: plain bytes, SQL NULL (`\N`), or text with backslash escapes. */
const PLAIN = 0;
const NULL = 1;
const ESCAPED = 2;

export interface FastSink {
  /** Called with the index of each entity added (the order of order.ts). */
  placed(ix: number): void;
  /** A row the byte path does not take (as text fields). */
  slow(row: Row): void;
  /** A row whose ID is taken already (the first stays). */
  duplicate(id: string): void;
  /** A reference whose column holds a value that names no row. */
  missing(label: string): void;
}

export class FastTableReader {
  /** Rows seen so far. */
  rows = 0;
  private carry: Buffer | null = null;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private kinds = new Uint8Array(64);
  private scratch = Buffer.allocUnsafe(1 << 16);
  private readonly typeBytes: Buffer;
  private readonly relCodes: number[];
  private readonly targetTypes: Buffer[][];
  /** Whether the byte path can take this table's rows at all. */
  private readonly fast: boolean;

  constructor(
    private readonly builder: GraphBuilder,
    private readonly t: TablePlan,
    plan: ReadPlan,
    private readonly sink: FastSink,
  ) {
    this.typeBytes = Buffer.from(`${t.type}:`, 'utf8');
    this.relCodes = t.relations.map((r) => {
      const name = Buffer.from(r.relationType, 'utf8');
      return builder.relationTypeCode(name, 0, name.length);
    });
    this.targetTypes = t.relations.map((r) => r.targets.map((x) => Buffer.from(`${x.type}:`, 'utf8')));
    this.fast = t.attributes.length === 0 && plan.protectedIds.size === 0 && this.relCodes.every((c) => c >= 0);
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.carry) {
      // Only the row that spans two chunks is copied.
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const row = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = null;
      this.row(row, 0, row.length);
      start = nl + 1;
    }
    for (let nl = chunk.indexOf(NL, start); nl >= 0; nl = chunk.indexOf(NL, start)) {
      this.row(chunk, start, nl);
      start = nl + 1;
    }
    this.carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : null;
  }

  end(): void {
    if (this.carry && this.carry.length) this.row(this.carry, 0, this.carry.length);
    this.carry = null;
  }

  /** Splits bytes s..e-1 (one row) into fields; returns their count. */
  private split(buf: Buffer, s: number, e: number): number {
    let n = 0;
    let fieldStart = s;
    let escaped = false;
    for (let i = s; i <= e; i++) {
      const c = i < e ? buf[i] : TAB;
      if (c === BACKSLASH) {
        escaped = true;
        i++; // the escaped byte is never a separator
        continue;
      }
      if (c !== TAB) continue;
      if (n === this.starts.length) this.grow();
      this.starts[n] = fieldStart;
      this.ends[n] = i;
      this.kinds[n] = !escaped ? PLAIN : i - fieldStart === 2 && buf[fieldStart] === BACKSLASH && buf[fieldStart + 1] === 78 ? NULL : ESCAPED;
      n++;
      fieldStart = i + 1;
      escaped = false;
    }
    return n;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const k = new Uint8Array(n);
    k.set(this.kinds);
    this.starts = s;
    this.ends = e;
    this.kinds = k;
  }

  private row(buf: Buffer, s: number, e: number): void {
    this.rows++;
    const n = this.split(buf, s, e);
    if (!this.fast || !this.plain(n)) {
      this.sink.slow(this.decode(buf, n));
      return;
    }
    const t = this.t;
    if (n < t.keyCount) throw new Error(`COPY of ${t.type} returned ${n} columns, expected more than ${t.keyCount}`);
    // The scratch buffer: [ID][type:][name][target IDs…]; the builder copies what it keeps.
    // Percent-encoding can triple a key's bytes; each reference writes one target ID.
    const need = (e - s) * 3 * (t.relations.length + 2) + 256 * (t.relations.length + 2);
    if (need > this.scratch.length) this.scratch = Buffer.allocUnsafe(need * 2);
    const out = this.scratch;
    let w = this.key(buf, this.typeBytes, 0, t.keyCount, (k) => k);
    const idEnd = w;
    const typeS = w;
    w += this.typeBytes.copy(out, w, 0, this.typeBytes.length - 1);
    const typeE = w;
    let nameS = -1;
    let nameE = -1;
    if (t.namePos !== undefined && this.kinds[t.namePos] !== NULL) {
      nameS = w;
      w += buf.copy(out, w, this.starts[t.namePos], this.ends[t.namePos]);
      nameE = w;
    }
    const isProtected = t.protectedPos !== undefined && buf[this.starts[t.protectedPos]] === T;
    const ix = this.builder.addEntityBytes(out, 0, idEnd, typeS, typeE, nameS, nameE, isProtected, -1, -1);
    if (ix < 0) this.sink.duplicate(out.toString('utf8', 0, idEnd));
    else this.sink.placed(ix);
    for (let r = 0; r < t.relations.length; r++) {
      const rel = t.relations[r];
      let found = false;
      for (let k = 0; k < rel.targets.length; k++) {
        const positions = rel.targets[k].positions;
        let all = true;
        for (const p of positions) if (this.kinds[p] === NULL) all = false;
        if (!all) continue;
        const toS = w;
        w = this.key(buf, this.targetTypes[r][k], w, positions.length, (i) => positions[i]);
        this.builder.addRelationBytes(out, 0, idEnd, this.relCodes[r], toS, w);
        found = true;
        break;
      }
      if (!found && rel.heldAt !== undefined && buf[this.starts[rel.heldAt]] === T) this.sink.missing(rel.label!);
    }
  }

  /** Writes `type:` and the key parts of fields pos(0..count-1) at `w` (composite: percent-encoded, `|`-joined). */
  private key(buf: Buffer, prefix: Buffer, w: number, count: number, pos: (i: number) => number): number {
    const out = this.scratch;
    w += prefix.copy(out, w);
    if (count === 1) {
      const p = pos(0);
      return w + buf.copy(out, w, this.starts[p], this.ends[p]);
    }
    for (let i = 0; i < count; i++) {
      if (i > 0) out[w++] = PIPE;
      const p = pos(i);
      for (let j = this.starts[p]; j < this.ends[p]; j++) {
        const c = buf[j];
        if (c === PERCENT) {
          out[w++] = PERCENT;
          out[w++] = 50; // 2
          out[w++] = 53; // 5
        } else if (c === PIPE) {
          out[w++] = PERCENT;
          out[w++] = 55; // 7
          out[w++] = 67; // C
        } else out[w++] = c;
      }
    }
    return w;
  }

  /** Every field the byte path reads is plain (or NULL where NULL is allowed: names, references). */
  private plain(n: number): boolean {
    for (let i = 0; i < n; i++) if (this.kinds[i] === ESCAPED) return false;
    for (let k = 0; k < this.t.keyCount && k < n; k++) if (this.kinds[k] === NULL) return false;
    return true;
  }

  private decode(buf: Buffer, n: number): Row {
    const row: Row = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = this.kinds[i];
      row[i] =
        k === NULL ? null : k === PLAIN ? buf.toString('utf8', this.starts[i], this.ends[i]) : unescapeCopy(buf.toString('utf8', this.starts[i], this.ends[i]));
    }
    return row;
  }
}
