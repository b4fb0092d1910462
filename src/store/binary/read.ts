// Reads a binary graph file (.bgraph, layout in format.ts) back into a CompactGraph: a few large reads into one
// buffer, typed arrays laid over it, no per-record parsing. Before anything is trusted, every section's checksum and
// the arrays' bounds are checked (offsets ascending, every node and code in range), so a truncated, corrupt or
// newer-version file is refused with one InputError line, never misread. Names and attributes are read when first
// asked for (their checksums then), from the file descriptor opened at load: a file replaced meanwhile by rename does
// not change what is read, and one rewritten in place fails its checksum.
import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { InputError } from '../../model/errors.js';
import type { Csr } from '../../model/graph.js';
import { validator } from '../../model/json-schemas.js';
import { normalizeSchema } from '../../model/schema.js';
import type { Schema } from '../../model/types.js';
import { CompactGraph, type TextSource } from '../compact.js';
import { ByteArena, IdTable, TextColumn } from '../ids.js';
import { ALIGN, FIXED_HEADER, FLAG_LAZY, FORMAT_VERSION, hasMagic, S, SECTION_COUNT, SECTION_ENTRY, type BinaryMeta, type SectionEntry } from './format.js';

const SECTION_NAMES = Object.fromEntries(Object.entries(S).map(([k, v]) => [v, k])) as Record<number, string>;
// Small enough that reading the next chunk overlaps checksumming this one for most of the file, large enough that
// the reads' own cost stays small.
const READ_CHUNK = 4 << 20;
const PAGE = 1 << 24;

/** Counters a progress display reads while the file is read (bytes). */
export interface BinaryProgress {
  bytes: number;
  totalBytes: number;
}

export interface BinaryGraph {
  graph: CompactGraph;
  /** The fingerprint recorded by the writer ("sha256:…"), or undefined. Informational: verification recomputes it. */
  fingerprint: string | undefined;
  bytes: number;
}

const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
});

function readAsync(fd: number, buf: Buffer, off: number, len: number, pos: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, off, len, pos, (err, n) => (err ? reject(err) : resolve(n))));
}

/**
 * Reads `len` bytes at `pos` into a fresh, 8-byte aligned buffer, in chunks, and computes the crc32 of each of
 * `sections` (their offsets in the file) as its bytes arrive: the next chunk is being read (by libuv's thread pool)
 * while this thread checksums the one before, so on two cores the checksums cost little wall time beyond the read.
 * Returns the buffer and each section's crc32, in the order of `sections`. Progress can draw between chunks.
 */
async function readRangeSummed(
  fd: number,
  pos: number,
  len: number,
  sections: readonly SectionEntry[],
  progress: BinaryProgress | undefined,
  bad: (m: string) => InputError,
): Promise<{ buf: Buffer; crcs: number[] }> {
  const buf = Buffer.allocUnsafeSlow(len);
  const crcs = sections.map(() => 0);
  let summed = 0; // bytes of buf whose sections' checksums include them
  let done = 0;
  let pending: Promise<number> | undefined = len > 0 ? readAsync(fd, buf, 0, Math.min(READ_CHUNK, len), pos) : undefined;
  while (pending) {
    const n = await pending;
    if (n === 0) throw bad('truncated: the file ended while being read');
    done += n;
    if (progress) progress.bytes += n;
    pending = done < len ? readAsync(fd, buf, done, Math.min(READ_CHUNK, len - done), pos + done) : undefined;
    // Checksum [summed, done) section by section (padding between sections is not summed, as when written).
    for (let k = 0; k < sections.length; k++) {
      const from = Math.max(sections[k].offset - pos, summed);
      const to = Math.min(sections[k].offset - pos + sections[k].length, done);
      if (from < to) crcs[k] = crc32(buf.subarray(from, to), crcs[k]);
    }
    summed = done;
  }
  return { buf, crcs };
}

function readRangeSync(fd: number, pos: number, len: number, bad: (m: string) => InputError): Buffer {
  const buf = Buffer.allocUnsafeSlow(len);
  let done = 0;
  while (done < len) {
    const n = readSync(fd, buf, done, len - done, pos + done);
    if (n === 0) throw bad('truncated: the file ended while being read');
    done += n;
  }
  return buf;
}

/** Splits arena bytes into the pages the writer had (page lengths from the meta section). */
function pagesOf(bytes: Buffer, lengths: unknown, what: string, bad: (m: string) => InputError): Buffer[] {
  if (!Array.isArray(lengths) || !lengths.every((l) => Number.isInteger(l) && l >= 0)) throw bad(`meta: bad page list for ${what}`);
  const pages: Buffer[] = [];
  let at = 0;
  for (const l of lengths as number[]) {
    if (l > Math.max(PAGE, l) || at + l > bytes.length) throw bad(`meta: page list for ${what} does not fit its section`);
    pages.push(bytes.subarray(at, at + l));
    at += l;
  }
  if (at !== bytes.length) throw bad(`meta: page list for ${what} does not match its section`);
  return pages;
}

/** Whether `len` bytes at packed position `at` (page * 2^24 + offset) lie inside the arena's pages. */
function inPages(pages: Buffer[], at: number, len: number): boolean {
  if (!(at >= 0) || !Number.isInteger(at) || !(len >= 0)) return false;
  const p = Math.floor(at / PAGE);
  return p < pages.length && at - p * PAGE + len <= pages[p].length;
}

export async function readBinaryGraph(file: string, shown: string, progress?: BinaryProgress): Promise<BinaryGraph> {
  const bad = (message: string) => new InputError({ file: shown, message: `not a valid blastguard graph file: ${message}` });
  if (endianness() !== 'LE') throw new InputError({ file: shown, message: 'binary graph files are read on little-endian machines only' });
  const fd = openSync(file, 'r');
  let keep = false;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError({ file: shown, message: 'is not a regular file' });
    const size = st.size;
    if (progress) progress.totalBytes = size;
    const fixed = readRangeSync(fd, 0, Math.min(size, FIXED_HEADER), bad);
    if (!hasMagic(fixed)) throw bad('it does not start with the .bgraph magic number');
    if (size < FIXED_HEADER) throw bad(`truncated: ${size} bytes, shorter than the header`);
    const version = fixed.readUInt32LE(8);
    if (version > FORMAT_VERSION) {
      throw new InputError({
        file: shown,
        message: `written by a newer blastguard (binary graph format version ${version}; this one reads version ${FORMAT_VERSION}): upgrade blastguard, or convert it with the newer one (ingest --graph FILE --out FILE.json)`,
      });
    }
    if (version < 1) throw bad(`unknown format version ${version}`);
    const headerLength = fixed.readUInt32LE(12);
    const count = fixed.readUInt32LE(16);
    if (count !== SECTION_COUNT || headerLength < FIXED_HEADER + count * SECTION_ENTRY || headerLength > 1 << 16) throw bad('the header is corrupt');
    if (size < headerLength) throw bad(`truncated: ${size} bytes, shorter than the header`);
    const header = readRangeSync(fd, 0, headerLength, bad);
    const crc = header.readUInt32LE(20);
    header.writeUInt32LE(0, 20);
    if (crc32(header) !== crc) throw bad('the header is corrupt (checksum mismatch)');
    const fileLength = header.readDoubleLE(24);
    if (size < fileLength) throw bad(`truncated: ${size.toLocaleString('en-US')} bytes of ${fileLength.toLocaleString('en-US')}`);
    if (size > fileLength) throw bad(`${(size - fileLength).toLocaleString('en-US')} bytes after the end of the graph`);
    const n = header.readUInt32LE(32);
    const m = header.readUInt32LE(36);
    const digest = header.subarray(40, 72);
    const fingerprint = digest.every((b) => b === 0) ? undefined : `sha256:${digest.toString('hex')}`;
    const sections: SectionEntry[] = [];
    let end = headerLength;
    for (let k = 0; k < count; k++) {
      const e = FIXED_HEADER + k * SECTION_ENTRY;
      const s: SectionEntry = {
        id: header.readUInt32LE(e),
        crc: header.readUInt32LE(e + 4),
        offset: header.readDoubleLE(e + 8),
        length: header.readDoubleLE(e + 16),
        flags: header.readUInt32LE(e + 24),
      };
      if (s.id !== k + 1 || s.offset < end || s.offset % ALIGN !== 0 || !Number.isInteger(s.length) || s.length < 0 || s.offset + s.length > fileLength)
        throw bad('the section table is corrupt');
      if (((s.flags & FLAG_LAZY) !== 0) !== s.id >= S.namesAt) throw bad('the section table is corrupt');
      end = s.offset + s.length;
      sections.push(s);
    }
    const sec = (id: number) => sections[id - 1];
    // One read of every section the graph needs at once (they are contiguous, before the lazy ones).
    const first = sec(S.meta).offset;
    const eagerEnd = sec(S.outTypes).offset + sec(S.outTypes).length;
    const eagerSections = sections.slice(0, S.outTypes);
    const { buf: eager, crcs } = await readRangeSummed(fd, first, eagerEnd - first, eagerSections, progress, bad);
    const bytesOf = (id: number): Buffer => {
      const s = sec(id);
      if (crcs[id - 1] !== s.crc) throw bad(`section "${SECTION_NAMES[id]}" is corrupt (checksum mismatch)`);
      return eager.subarray(s.offset - first, s.offset - first + s.length);
    };
    const typed = <T>(id: number, Ctor: { new (b: ArrayBuffer, o: number, l: number): T; BYTES_PER_ELEMENT: number }, expect?: number): T => {
      const b = bytesOf(id);
      if (b.length % Ctor.BYTES_PER_ELEMENT !== 0 || (expect !== undefined && b.length !== expect * Ctor.BYTES_PER_ELEMENT))
        throw bad(`section "${SECTION_NAMES[id]}" has the wrong length`);
      return new Ctor(b.buffer as ArrayBuffer, b.byteOffset, b.length / Ctor.BYTES_PER_ELEMENT);
    };
    let meta: BinaryMeta;
    try {
      meta = JSON.parse(bytesOf(S.meta).toString('utf8')) as BinaryMeta;
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw bad('the meta section is not JSON');
    }
    const schema = checkMeta(meta, bad);
    const idMeta = typed(S.idMeta, Float64Array, n);
    const slots = typed(S.idSlots, Int32Array);
    const typeCodes = typed(S.typeCodes, Uint16Array, n);
    const protectedFlags = typed(S.protectedFlags, Uint8Array, n);
    const incoming = csr(typed(S.inOffsets, Int32Array, n + 1), typed(S.inNodes, Int32Array, m), typed(S.inTypes, Uint16Array, m), 'incoming');
    const outgoing = csr(typed(S.outOffsets, Int32Array, n + 1), typed(S.outNodes, Int32Array, m), typed(S.outTypes, Uint16Array, m), 'outgoing');
    const idPages = pagesOf(bytesOf(S.idArena), meta.ids?.pages, 'IDs', bad);
    checkIds(idMeta, slots, idPages, meta.ids.long, n, bad);
    if (!allBelow(typeCodes, meta.typeNames.length)) throw bad('an entity type code is out of range');
    if (!allBelow(protectedFlags, 2)) throw bad('a protected flag is neither 0 nor 1');
    const ids = IdTable.fromParts(ByteArena.fromParts(idPages, meta.ids.ascii === true), idMeta, slots, meta.ids.long);
    const lazy = (at: number, len: number, arena: number, info: { pages: number[]; ascii: boolean }, what: string) =>
      new LazyText(() => {
        const col = (id: number, size: number) => {
          const s = sec(id);
          const b = readRangeSync(fd, s.offset, s.length, bad);
          if (crc32(b) !== s.crc) throw bad(`section "${SECTION_NAMES[id]}" is corrupt (checksum mismatch)`);
          if (b.length % size !== 0) throw bad(`section "${SECTION_NAMES[id]}" has the wrong length`);
          return b;
        };
        const a = col(at, 8);
        const l = col(len, 4);
        const atArr = new Float64Array(a.buffer as ArrayBuffer, a.byteOffset, a.length / 8);
        const lenArr = new Int32Array(l.buffer as ArrayBuffer, l.byteOffset, l.length / 4);
        if (atArr.length !== lenArr.length || lenArr.length > n) throw bad(`the ${what} sections do not match`);
        const pages = pagesOf(col(arena, 1), info?.pages, what, bad);
        if (
          !textInPages(
            atArr,
            lenArr,
            Float64Array.from(pages, (p) => p.length),
          )
        )
          throw bad(`a ${what} entry points outside its section`);
        return TextColumn.fromParts(ByteArena.fromParts(pages, info?.ascii === true), atArr, lenArr);
      });
    const names = lazy(S.namesAt, S.namesLen, S.namesArena, meta.names, 'names');
    const attributes = lazy(S.attrsAt, S.attrsLen, S.attrsArena, meta.attributes, 'attributes');
    const graph = CompactGraph.fromParts({
      schema,
      ids,
      typeNames: meta.typeNames,
      typeCodes,
      names,
      protectedFlags,
      attributes,
      relationTypeNames: meta.relationTypeNames,
      incoming,
      outgoing,
    });
    closer.register(graph, fd);
    keep = true;
    return { graph, fingerprint, bytes: size };

    function csr(offsets: Int32Array, nodes: Int32Array, types: Uint16Array, what: string): Csr {
      const problem = csrProblem(offsets, nodes, types, n, m, meta.relationTypeNames.length);
      if (problem) throw bad(`the ${what} ${problem}`);
      return { offsets, nodes, types };
    }
  } finally {
    if (!keep) closeSync(fd);
  }
}

/** What is wrong with CSR arrays (a module function with plain locals: these loops run over millions of entries). */
function csrProblem(offsets: Int32Array, nodes: Int32Array, types: Uint16Array, n: number, m: number, typeCount: number): string | undefined {
  if (offsets[0] !== 0 || offsets[n] !== m) return 'offsets are corrupt';
  let bad = 0;
  for (let i = 0; i < n; i++) bad |= offsets[i + 1] - offsets[i];
  if (bad < 0) return 'offsets are corrupt';
  let over = 0;
  for (let e = 0; e < m; e++) over |= (nodes[e] >>> 0 >= n ? 1 : 0) | (types[e] >= typeCount ? 2 : 0);
  if (over & 1) return 'relations name an entity out of range';
  if (over & 2) return 'relation type codes are out of range';
  return undefined;
}

/** The meta section's shape, and its schema as a snapshot would have it; returns the schema (normalized). */
function checkMeta(meta: BinaryMeta, bad: (m: string) => InputError): Schema {
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  if (meta === null || typeof meta !== 'object' || !strings(meta.typeNames) || !strings(meta.relationTypeNames)) throw bad('the meta section is corrupt');
  if (!meta.ids || !Array.isArray(meta.ids.long) || !meta.names || !meta.attributes) throw bad('the meta section is corrupt');
  const validate = validator('snapshot.schema.json');
  if (!validate({ schema: meta.schema, entities: [], relations: [] })) throw bad('the schema in the file is not valid');
  const schema = normalizeSchema(meta.schema as Schema);
  const rel = Object.keys(schema.relations);
  if (rel.length !== meta.relationTypeNames.length || rel.some((t, i) => t !== meta.relationTypeNames[i]))
    throw bad('the relation types do not match the schema');
  if (schema.types && meta.typeNames.some((t) => !Object.hasOwn(schema.types!, t))) throw bad('an entity type is not in the schema');
  return schema;
}

/**
 * The ID table's arrays: every packed position inside the arena, every slot naming each entity once. One loop of
 * plain arithmetic per array (no call, no Map per entity): it runs over every entity of the graph on each load.
 */
function checkIds(idMeta: Float64Array, slots: Int32Array, pages: Buffer[], long: unknown, n: number, bad: (m: string) => InputError): void {
  const longs = new Map<number, number>();
  for (const pair of long as unknown[]) {
    if (!Array.isArray(pair) || !Number.isInteger(pair[0]) || !Number.isInteger(pair[1])) throw bad('the meta section is corrupt');
    longs.set(pair[0] as number, pair[1] as number);
  }
  const pageLengths = Float64Array.from(pages, (p) => p.length);
  // Only an ID of 65,535 bytes or more (its length kept in the meta section) stops the fast scan in a sound file.
  for (let i = firstOutside(idMeta, pageLengths, 0, n); i >= 0; i = firstOutside(idMeta, pageLengths, i + 1, n)) {
    const packed = idMeta[i];
    let len = packed % 65536;
    if (len === 65535) len = longs.get(i) ?? -1;
    if (!Number.isInteger(packed) || len <= 0 || !inPages(pages, Math.floor(packed / 65536), len)) throw bad('an ID points outside the ID section');
  }
  const size = slots.length / 2;
  if (size < 1 || (size & (size - 1)) !== 0 || n * 10 > size * 7) throw bad('the ID hash table is corrupt');
  if (!slotsNameEachOnce(slots, n)) throw bad('the ID hash table is corrupt');
}

/**
 * The first entity from `from` whose packed ID position (offset * 65536 + length, the offset page * 2^24 + offset
 * in page) is not a whole number or does not lie inside its page, or whose length is 0 or the long-ID mark 65535;
 * -1 if none.
 */
function firstOutside(idMeta: Float64Array, pageLengths: Float64Array, from: number, n: number): number {
  const pageCount = pageLengths.length;
  for (let i = from; i < n; i++) {
    const packed = idMeta[i];
    if (!(packed >= 0 && packed <= Number.MAX_SAFE_INTEGER) || packed !== Math.floor(packed)) return i;
    const at = Math.floor(packed / 65536);
    const len = packed - at * 65536;
    const p = Math.floor(at / PAGE);
    if (len === 0 || len === 65535 || p >= pageCount || at - p * PAGE + len > pageLengths[p]) return i;
  }
  return -1;
}

/**
 * Whether the hash table's value slots (odd positions) hold 1 .. n, each once, and zeros elsewhere. Counted without
 * a branch per slot (a third of the slots are empty, at random): a count per value, wrapping at 256, then every
 * value's count must be 1; with n values in range in all, a value seen 257 times would leave 256 others at 0.
 */
function slotsNameEachOnce(slots: Int32Array, n: number): boolean {
  const count = new Uint8Array(n + 1);
  let over = 0;
  let filled = 0;
  for (let k = 1; k < slots.length; k += 2) {
    const v = slots[k];
    const out = v >>> 0 > n ? 1 : 0;
    over |= out;
    filled += v !== 0 ? 1 : 0;
    count[out === 1 ? 0 : v]++;
  }
  if (over !== 0 || filled !== n) return false;
  let wrong = 0;
  for (let v = 1; v <= n; v++) wrong |= count[v] ^ 1;
  return wrong === 0;
}

/**
 * Whether every entry of a text column (names, attributes) lies inside its arena's pages: `len` is the byte length
 * plus one (0: none), `at` the packed position page * 2^24 + offset. One loop of plain arithmetic, as firstOutside.
 */
function textInPages(at: Float64Array, len: Int32Array, pageLengths: Float64Array): boolean {
  const pageCount = pageLengths.length;
  for (let i = 0; i < len.length; i++) {
    const k = len[i];
    if (k === 0) continue;
    const a = at[i];
    if (!(a >= 0 && a <= Number.MAX_SAFE_INTEGER) || a !== Math.floor(a) || k < 0) return false;
    const p = Math.floor(a / PAGE);
    if (p >= pageCount || a - p * PAGE + k - 1 > pageLengths[p]) return false;
  }
  return true;
}

/** Whether every code is below `limit` (entity type codes). */
function allBelow(codes: Uint16Array | Uint8Array, limit: number): boolean {
  let over = 0;
  for (let i = 0; i < codes.length; i++) over |= codes[i] >= limit ? 1 : 0;
  return over === 0;
}

/** A text column read from its sections the first time a report asks for a name (or an attribute). */
class LazyText implements TextSource {
  private loaded: TextColumn | undefined;
  constructor(private readonly load: () => TextColumn) {}
  column(): TextColumn {
    return (this.loaded ??= this.load());
  }
  get(ix: number): string | undefined {
    return this.column().get(ix);
  }
  get bytes(): number {
    return this.loaded ? this.loaded.bytes : 0;
  }
}
