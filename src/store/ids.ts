// Byte storage for the compact store: IDs, names and attributes live as UTF-8 bytes in large pages instead of one
// heap string each, and IDs are interned through an open-addressing hash table of integers. At 10 M entities this
// is the difference between ~45 bytes per ID and ~110 (a V8 string, an array slot and a Map entry), and the
// table has no 2^24-entry ceiling as a Map has.

/** Node's Buffer decoders behind toString (present since Node 0.x, not in the type definitions). */
type SliceableBuffer = Buffer & { latin1Slice(s: number, e: number): string; utf8Slice(s: number, e: number): string };

// Math's functions held in module constants: a global lookup per byte is slow where the global object is
// intercepted (vm contexts, e.g. under jest), and costs nothing here.
const imul = Math.imul;
const floor = Math.floor;

const PAGE_SHIFT = 24;
const PAGE_SIZE = 1 << PAGE_SHIFT; // 16 MiB
const FIRST_PAGE = 1 << 16;
const scratch = { buf: Buffer.allocUnsafe(256) };

/** Encodes `s` as UTF-8 into a shared scratch buffer and returns the byte length (valid until the next call). */
export function encodeScratch(s: string): number {
  let buf = scratch.buf;
  const n = s.length;
  if (n * 3 > buf.length) buf = scratch.buf = Buffer.allocUnsafe(Math.max(n * 3, buf.length * 2));
  if (n > 128) return buf.write(s, 0, 'utf8'); // long strings: the native encoder wins
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return buf.write(s, 0, 'utf8');
    buf[i] = c;
  }
  return n;
}

export function scratchBuffer(): Buffer {
  return scratch.buf;
}

class GrowableF64 {
  data = new Float64Array(1024);
  ensure(n: number): void {
    if (n <= this.data.length) return;
    const next = new Float64Array(Math.max(n, Math.ceil(this.data.length * 1.5)));
    next.set(this.data);
    this.data = next;
  }
}

class GrowableI32 {
  data = new Int32Array(1024);
  ensure(n: number): void {
    if (n <= this.data.length) return;
    const next = new Int32Array(Math.max(n, Math.ceil(this.data.length * 1.5)));
    next.set(this.data);
    this.data = next;
  }
}

/**
 * Append-only byte storage in 16 MiB pages (a value never spans pages, so growing never copies what is stored).
 * A value is addressed by its position (page * 2^24 + offset, exact in a double) and its length.
 */
export class ByteArena {
  private readonly pages: Buffer[] = [];
  /** Bytes used in each full page (a value that does not fit starts a new page, leaving the old one's tail unused). */
  private readonly used: number[] = [];
  private page: Buffer | undefined;
  private pos = 0;
  private allAscii = true;

  /** The bytes stored, page by page (views, not copies), and whether all are ASCII: what a binary graph file keeps. */
  parts(): { pages: Buffer[]; allAscii: boolean } {
    const pages = this.pages.map((p, i) => p.subarray(0, i === this.pages.length - 1 ? this.pos : this.used[i]));
    return { pages, allAscii: this.allAscii };
  }

  /** An arena over pages read back from a binary graph file (read only: nothing is appended to a loaded graph). */
  static fromParts(pages: Buffer[], allAscii: boolean): ByteArena {
    const a = new ByteArena();
    for (const p of pages) {
      a.pages.push(p);
      a.used.push(p.length);
    }
    a.page = a.pages[a.pages.length - 1];
    a.pos = a.page?.length ?? 0;
    a.allAscii = allAscii;
    return a;
  }

  get bytes(): number {
    let total = 0;
    for (const p of this.pages) total += p.length;
    return total;
  }

  private room(len: number): void {
    if (this.page && this.pos + len <= this.page.length) return;
    if (this.page) this.used[this.pages.length - 1] = this.pos;
    // Small graphs (a push-down's neighbourhood, a test's sample) start small: a 16 MiB page per graph built is
    // garbage the collector is made to chase. Pages double up to PAGE_SIZE; addresses stay page * PAGE_SIZE + offset.
    this.page = Buffer.allocUnsafeSlow(Math.max(Math.min(PAGE_SIZE, FIRST_PAGE << this.pages.length), len));
    this.pages.push(this.page);
    this.pos = 0;
  }

  /** Copies bytes s..e-1 of `buf`; returns the position. */
  append(buf: Uint8Array, s: number, e: number, ascii = false): number {
    const len = e - s;
    this.room(len);
    const at = (this.pages.length - 1) * PAGE_SIZE + this.pos;
    const page = this.page!;
    // Short values (nearly all IDs and names) are copied by hand: a subarray view per value costs more.
    if (len <= 64) for (let i = 0, p = this.pos; i < len; i++) page[p + i] = buf[s + i];
    else page.set(buf.subarray(s, e), this.pos);
    this.pos += len;
    if (!ascii && this.allAscii) {
      for (let i = s; i < e; i++) {
        if (buf[i] >= 0x80) {
          this.allAscii = false;
          break;
        }
      }
    }
    return at;
  }

  /** The page holding position `at`, and the offset in it. */
  slot(at: number): [Buffer, number] {
    const p = floor(at / PAGE_SIZE);
    return [this.pages[p], at - p * PAGE_SIZE];
  }

  text(at: number, len: number): string {
    const p = floor(at / PAGE_SIZE);
    const off = at - p * PAGE_SIZE;
    const page = this.pages[p] as SliceableBuffer;
    // Buffer's own decoders, without toString's argument handling (this is on every result's hot path).
    return this.allAscii ? page.latin1Slice(off, off + len) : page.utf8Slice(off, off + len);
  }

  equals(at: number, len: number, buf: Uint8Array, s: number): boolean {
    const p = floor(at / PAGE_SIZE);
    const off = at - p * PAGE_SIZE;
    const page = this.pages[p];
    for (let i = 0; i < len; i++) if (page[off + i] !== buf[s + i]) return false;
    return true;
  }
}

/** Optional strings by index (names, attribute JSON), stored as bytes. */
export class TextColumn {
  private arena = new ByteArena();
  private readonly at = new GrowableF64();
  private readonly len = new GrowableI32();
  private count = 0;

  /** Sets entry `ix` (entries are set at most once; unset entries read as undefined). */
  setBytes(ix: number, buf: Uint8Array, s: number, e: number, ascii = false): void {
    this.reserve(ix);
    this.at.data[ix] = this.arena.append(buf, s, e, ascii);
    this.len.data[ix] = e - s + 1;
  }

  set(ix: number, value: string): void {
    const n = encodeScratch(value);
    this.setBytes(ix, scratch.buf, 0, n);
  }

  private reserve(ix: number): void {
    if (ix >= this.count) {
      this.at.ensure(ix + 1);
      this.len.ensure(ix + 1);
      this.len.data.fill(0, this.count, ix + 1);
      this.count = ix + 1;
    }
  }

  has(ix: number): boolean {
    return ix < this.count && this.len.data[ix] !== 0;
  }

  /** Itself (a loaded graph's lazy column reads its section first: see store/binary/read.ts). */
  column(): TextColumn {
    return this;
  }

  /** Renumbers in place: entry k becomes what entry order[k] was (`order` lists every entry at most once). */
  permute(order: Int32Array): void {
    const n = order.length;
    const at = new GrowableF64();
    const len = new GrowableI32();
    at.ensure(n);
    len.ensure(n);
    for (let k = 0; k < n; k++) {
      const o = order[k];
      if (o < this.count) {
        at.data[k] = this.at.data[o];
        len.data[k] = this.len.data[o];
      } else len.data[k] = 0;
    }
    this.at.data = at.data;
    this.len.data = len.data;
    this.count = n;
  }

  get(ix: number): string | undefined {
    if (ix >= this.count) return undefined;
    const l = this.len.data[ix];
    return l === 0 ? undefined : this.arena.text(this.at.data[ix], l - 1);
  }

  get bytes(): number {
    return this.arena.bytes + this.count * 12;
  }

  /** What a binary graph file keeps: the arena's pages, and each entry's position and length + 1 (0: unset). */
  parts(): { arena: ByteArena; at: Float64Array; len: Int32Array; count: number } {
    return { arena: this.arena, at: this.at.data.subarray(0, this.count), len: this.len.data.subarray(0, this.count), count: this.count };
  }

  static fromParts(arena: ByteArena, at: Float64Array<ArrayBuffer>, len: Int32Array<ArrayBuffer>): TextColumn {
    const c = new TextColumn();
    c.arena = arena;
    c.at.data = at;
    c.len.data = len;
    c.count = len.length;
    return c;
  }
}

/** The start of the IdTable's hash (FNV-1a's offset basis); see hashBytes. */
export const HASH_START = 0x811c9dc5;
/** FNV-1a's prime: the hash of one more byte `b` is imul(h ^ b, HASH_PRIME). */
export const HASH_PRIME = 0x01000193;

/** The final mix of hashBytes, for readers that hash an ID byte by byte as they write it (HASH_START, HASH_PRIME). */
export function hashFinish(h: number): number {
  h ^= h >>> 15;
  h = imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}

/** The IdTable's hash of bytes s..e-1: FNV-1a, then a final mix so that the low bits (the slot) depend on every byte. */
export function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = HASH_START;
  for (let i = s; i < e; i++) h = imul(h ^ buf[i], HASH_PRIME);
  return hashFinish(h);
}

const LEN_BITS = 65536;
const LONG = LEN_BITS - 1;

/**
 * Interned IDs: bytes → dense index, and index → string. The hash table keeps [hash, index + 1] pairs side by
 * side, and each ID's position and length are packed into one double (position * 2^16 + length), so a lookup
 * touches three places in memory: the slot, the packed position, and the bytes.
 */
export class IdTable {
  private arena = new ByteArena();
  private readonly meta = new GrowableF64();
  /** Lengths of IDs of 65535 bytes or more (hostile input), by index. */
  private readonly longLengths = new Map<number, number>();
  private slots = new Int32Array(2 << 10);
  private mask = (1 << 10) - 1;
  private n = 0;

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.arena.bytes + this.slots.byteLength + this.meta.data.byteLength;
  }

  private lengthOf(ix: number, packed: number): number {
    const l = packed % LEN_BITS;
    return l === LONG ? this.longLengths.get(ix)! : l;
  }

  /**
   * Makes room for `n` IDs in all (a reader that knows how many rows are coming): the hash table is sized once
   * instead of doubling, and rehashing, all the way up.
   */
  reserve(n: number): void {
    this.meta.ensure(n);
    let size = this.slots.length / 2;
    while (n * 10 > size * 7) size *= 2;
    if (size > this.slots.length / 2) this.rehash(size / 2);
  }

  /** Index of bytes s..e-1 of `buf`, adding them when absent (unless `add` is false: then -1). */
  internBytes(buf: Uint8Array, s: number, e: number, add = true, ascii = false): number {
    return this.internBytesHashed(buf, s, e, hashBytes(buf, s, e), add, ascii);
  }

  /** internBytes with `h = hashBytes(buf, s, e)` already computed (e.g. by the reader's worker thread). */
  internBytesHashed(buf: Uint8Array, s: number, e: number, h: number, add = true, ascii = false): number {
    const len = e - s;
    const { slots, mask } = this;
    const meta = this.meta.data;
    let i = h & mask;
    for (;;) {
      const v = slots[2 * i + 1];
      if (v === 0) break;
      if (slots[2 * i] === h) {
        const ix = v - 1;
        const packed = meta[ix];
        if (this.lengthOf(ix, packed) === len && this.arena.equals(floor(packed / LEN_BITS), len, buf, s)) return ix;
      }
      i = (i + 1) & mask;
    }
    if (!add) return -1;
    const ix = this.n++;
    this.meta.ensure(this.n);
    const at = this.arena.append(buf, s, e, ascii);
    if (len >= LONG) this.longLengths.set(ix, len);
    this.meta.data[ix] = at * LEN_BITS + Math.min(len, LONG);
    slots[2 * i] = h;
    slots[2 * i + 1] = ix + 1;
    // Keep the load under 0.7 so that linear probing stays short.
    if (this.n * 10 > (slots.length / 2) * 7) this.rehash(slots.length / 2);
    return ix;
  }

  /** Whether ID `ix` is bytes s..e-1 of `buf`. */
  is(ix: number, buf: Uint8Array, s: number, e: number): boolean {
    const packed = this.meta.data[ix];
    const len = e - s;
    return this.lengthOf(ix, packed) === len && this.arena.equals(floor(packed / LEN_BITS), len, buf, s);
  }

  intern(id: string, add = true): number {
    const n = encodeScratch(id);
    return this.internBytes(scratch.buf, 0, n, add);
  }

  indexOf(id: string): number {
    return this.intern(id, false);
  }

  /**
   * Renumbers in place without touching the bytes: ID k becomes what ID order[k] was; `at` is the inverse
   * (at[order[k]] = k). Every index must be listed once.
   */
  permute(order: Int32Array, at: Int32Array): void {
    const n = this.n;
    const meta = new GrowableF64();
    meta.ensure(n);
    for (let k = 0; k < n; k++) meta.data[k] = this.meta.data[order[k]];
    this.meta.data = meta.data;
    const slots = this.slots;
    for (let i = 1; i < slots.length; i += 2) if (slots[i] !== 0) slots[i] = at[slots[i] - 1] + 1;
    if (this.longLengths.size) {
      const long = [...this.longLengths];
      this.longLengths.clear();
      for (const [ix, l] of long) this.longLengths.set(at[ix], l);
    }
  }

  get(ix: number): string {
    const packed = this.meta.data[ix];
    return this.arena.text(floor(packed / LEN_BITS), this.lengthOf(ix, packed));
  }

  /** What a binary graph file keeps: the arena, the packed positions, the hash slots and the lengths of very long IDs. */
  parts(): { arena: ByteArena; meta: Float64Array; slots: Int32Array; longLengths: [number, number][]; size: number } {
    return { arena: this.arena, meta: this.meta.data.subarray(0, this.n), slots: this.slots, longLengths: [...this.longLengths], size: this.n };
  }

  /** A table over parts read back from a binary graph file (slots must come from `parts()`: the hash is fixed). */
  static fromParts(arena: ByteArena, meta: Float64Array<ArrayBuffer>, slots: Int32Array<ArrayBuffer>, longLengths: [number, number][]): IdTable {
    const t = new IdTable();
    t.arena = arena;
    t.meta.data = meta;
    for (const [ix, len] of longLengths) t.longLengths.set(ix, len);
    t.slots = slots;
    t.mask = slots.length / 2 - 1;
    t.n = meta.length;
    return t;
  }

  /** Doubles the table: `size` slots become 2 * size (each slot is two Int32 entries). */
  private rehash(size: number): void {
    const old = this.slots;
    const slots = new Int32Array(size * 2 * 2);
    const mask = size * 2 - 1;
    for (let k = 0; k < old.length; k += 2) {
      const v = old[k + 1];
      if (v === 0) continue;
      const h = old[k];
      let i = h & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = v;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
