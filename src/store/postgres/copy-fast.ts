// A table's COPY text rows (copy-rows.ts) straight into the GraphBuilder, at byte level: the row is split where its tabs are, and
// the row's ID and each reference's target ID are written as bytes after their `type:` prefix (written once per
// table) and hashed as they are written; the builder interns them from there with that hash, adds the entity with
// the table's type code resolved once and its name straight from the COPY bytes, and adds each relation from the
// entity's index (addEntityHashed, addRelationFromIndex): no string, array or object per row, and no byte hashed
// twice. A row the byte path cannot take — a field with a backslash escape, a table with attributes or an overlay
// list of protected IDs — is decoded into text fields and handed to `slow` (the string path of rows.ts), so both
// paths give the same entities.
import { unescapeCopy } from './copy-text.js';
import { HASH_PRIME, HASH_START, hashFinish } from '../ids.js';
import type { GraphBuilder } from '../compact.js';
import type { ReadPlan, TablePlan } from './model.js';
import type { Row } from './rows.js';
import type { RowBatch } from './copy-rows.js';

const TAB = 9;
const BACKSLASH = 92;
const PERCENT = 37;
const PIPE = 124;
const T = 116; // 't', as COPY writes true
const imul = Math.imul;

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

/** An ID being written: `type:` written once at the front, the key bytes after it, hashed as they are written. */
class IdBuffer {
  buf: Buffer;
  readonly prefixLength: number;
  readonly prefixHash: number;
  constructor(private readonly prefix: Buffer) {
    this.prefixLength = prefix.length;
    let h = HASH_START;
    for (const c of prefix) h = imul(h ^ c, HASH_PRIME);
    this.prefixHash = h;
    this.buf = Buffer.allocUnsafe(prefix.length + 256);
    prefix.copy(this.buf);
  }
  /** Makes room for `n` key bytes after the prefix. */
  room(n: number): void {
    if (this.prefixLength + n <= this.buf.length) return;
    this.buf = Buffer.allocUnsafe((this.prefixLength + n) * 2);
    this.prefix.copy(this.buf);
  }
}

export class FastTableReader {
  /** Rows seen so far. */
  rows = 0;
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private kinds = new Uint8Array(64);
  /** The hash of the last ID written by writeKey. */
  private hash = 0;
  private readonly id: IdBuffer;
  private readonly keyPositions: Int32Array;
  private typeCode = -1;
  private readonly relCodes: number[];
  /** Per relation, per target: the target's `type:` buffer and the positions of its key's fields. */
  private readonly targets: { id: IdBuffer; positions: Int32Array }[][];
  /** Whether the byte path can take this table's rows at all. */
  private readonly fast: boolean;

  constructor(
    private readonly builder: GraphBuilder,
    private readonly t: TablePlan,
    plan: ReadPlan,
    private readonly sink: FastSink,
  ) {
    this.id = new IdBuffer(Buffer.from(`${t.type}:`, 'utf8'));
    this.keyPositions = Int32Array.from({ length: t.keyCount }, (_, k) => k);
    this.relCodes = t.relations.map((r) => {
      const name = Buffer.from(r.relationType, 'utf8');
      return builder.relationTypeCode(name, 0, name.length);
    });
    this.targets = t.relations.map((r) =>
      r.targets.map((x) => ({ id: new IdBuffer(Buffer.from(`${x.type}:`, 'utf8')), positions: Int32Array.from(x.positions) })),
    );
    this.fast = t.attributes.length === 0 && plan.protectedIds.size === 0 && this.relCodes.every((c) => c >= 0);
  }

  /** Takes a batch of rows (copy-rows.ts: one CopyData message each). */
  take(batch: RowBatch): void {
    const { buf, starts, ends, n } = batch;
    for (let k = 0; k < n; k++) this.row(buf, starts[k], ends[k]);
  }

  end(): void {}

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
    if (this.typeCode < 0) this.typeCode = this.builder.entityTypeCode(t.type);
    // Percent-encoding can triple a key's bytes; no key is longer than its row.
    const room = (e - s) * 3;
    const id = this.id;
    id.room(room);
    const idEnd = this.writeKey(buf, id, this.keyPositions);
    let nameS = -1;
    let nameE = -1;
    if (t.namePos !== undefined && this.kinds[t.namePos] !== NULL) {
      nameS = this.starts[t.namePos];
      nameE = this.ends[t.namePos];
    }
    const isProtected = t.protectedPos !== undefined && buf[this.starts[t.protectedPos]] === T;
    let ix = this.builder.addEntityHashed(id.buf, 0, idEnd, hashFinish(this.hash), this.typeCode, buf, nameS, nameE, isProtected);
    if (ix < 0) {
      ix = -1 - ix;
      this.sink.duplicate(id.buf.toString('utf8', 0, idEnd));
    } else this.sink.placed(ix);
    const kinds = this.kinds;
    for (let r = 0; r < this.targets.length; r++) {
      const targets = this.targets[r];
      let found = false;
      for (let k = 0; k < targets.length; k++) {
        const target = targets[k];
        const positions = target.positions;
        let all = true;
        for (let i = 0; i < positions.length; i++) if (kinds[positions[i]] === NULL) all = false;
        if (!all) continue;
        target.id.room(room);
        const toE = this.writeKey(buf, target.id, positions);
        this.builder.addRelationFromIndex(ix, this.relCodes[r], target.id.buf, 0, toE, hashFinish(this.hash));
        found = true;
        break;
      }
      const rel = t.relations[r];
      if (!found && rel.heldAt !== undefined && buf[this.starts[rel.heldAt]] === T) this.sink.missing(rel.label!);
    }
  }

  /**
   * Writes the key of fields `positions` after `id`'s prefix (composite: percent-encoded, `|`-joined), hashing
   * every byte (this.hash: before hashFinish); returns the ID's end.
   */
  private writeKey(buf: Buffer, id: IdBuffer, positions: Int32Array): number {
    const out = id.buf;
    let w = id.prefixLength;
    let h = id.prefixHash;
    if (positions.length === 1) {
      const p = positions[0];
      for (let j = this.starts[p], end = this.ends[p]; j < end; j++) {
        const c = buf[j];
        out[w++] = c;
        h = imul(h ^ c, HASH_PRIME);
      }
      this.hash = h;
      return w;
    }
    for (let i = 0; i < positions.length; i++) {
      if (i > 0) {
        out[w++] = PIPE;
        h = imul(h ^ PIPE, HASH_PRIME);
      }
      const p = positions[i];
      for (let j = this.starts[p], end = this.ends[p]; j < end; j++) {
        const c = buf[j];
        if (c === PERCENT || c === PIPE) {
          // %25 and %7C
          const hi = c === PERCENT ? 50 : 55;
          const lo = c === PERCENT ? 53 : 67;
          out[w++] = PERCENT;
          out[w++] = hi;
          out[w++] = lo;
          h = imul(imul(imul(h ^ PERCENT, HASH_PRIME) ^ hi, HASH_PRIME) ^ lo, HASH_PRIME);
        } else {
          out[w++] = c;
          h = imul(h ^ c, HASH_PRIME);
        }
      }
    }
    this.hash = h;
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
